"""An HTML view of a document's quotes and speakers. Pure: strings and records in, HTML out.

:func:`render_document` gives one ``<article>``: the document text, one ``<p>`` per paragraph
(non-blank line), with every quote highlighted in its speaker's colour, the speaker mention,
reporting cue and addressee marked, and a card for each quote that shows on hover and on
keyboard focus (CSS only, no JavaScript); then the speaker roster and a table of the cards.
:func:`render_page` wraps any number of them in one self-contained page: inline CSS, no
scripts, fonts or other requests, a table of contents, and a print layout.

The article text is never rewritten: the text of ``div.qc-text`` minus its ``.qc-card``
tooltips is the original document text, character for character (``\\r`` is written as a
character reference so that a parser keeps it). Highlights are built from sorted boundary
events over the original offsets; a highlight that would cross another is split into
fragments (a less important layer is split at the bounds of a more important one: quote >
speaker mention > addressee > cue), so the markup is always well-formed. All text is escaped.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .marks import paragraphs
from .models import DocumentRecord, FactCard, QuoteKind

__all__ = [
    "PALETTE",
    "STYLESHEET",
    "palette_class",
    "render_document",
    "render_page",
    "speaker_palette",
]

#: Speaker colours: (highlight, light highlight, ink for borders and underlines). The text on
#: every highlight stays near-black (contrast > 12:1); each ink has >= 4.5:1 on white.
PALETTE: tuple[tuple[str, str, str], ...] = (
    ("#cfe2ff", "#e8f1ff", "#1c4fb8"),  # blue
    ("#ffe0b3", "#fff0d9", "#9a4a00"),  # orange
    ("#c9f0d3", "#e5f8ea", "#1d6b35"),  # green
    ("#ecd9fb", "#f6ecfd", "#6b2fa0"),  # purple
    ("#ffd6dc", "#ffebee", "#a8213d"),  # rose
    ("#c4eeea", "#e2f7f5", "#0d6660"),  # teal
    ("#f3e8a6", "#faf4d3", "#6e5b00"),  # olive
    ("#dcdff7", "#eeeffb", "#3b3f9e"),  # indigo
)
#: Quotes without a speaker (scare quotes, unattributed).
_NO_SPEAKER = ("#e3e6ea", "#f1f3f5", "#4a5360")

_KIND_LABEL: dict[str, str] = {
    "direct": "Direct quote",
    "partial": "Partial quote",
    "indirect": "Indirect speech",
    "scare": "Scare quote",
}
_METHOD_LABEL: dict[str, str] = {
    "cue_adjacent": "reporting verb in the sentence",
    "cue_embedded": "reporting verb in an embedded clause",
    "partial_governor": "subject of the verb governing the fragment",
    "according_to": "“according to …”",
    "colon_intro": "“… said:” before the quote",
    "dash_byline": "“…” — speaker",
    "continuation": "continues the previous quote",
    "nearest_speaker": "nearest preceding speaker (guess)",
    "indirect_clause": "clause reported by a verb",
    "none": "no speaker found",
}

# Layers, most important first: a layer is split at the bounds of every layer before it.
_QUOTE, _MENTION, _ADDRESSEE, _CUE = 0, 1, 2, 3
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _esc(value: object) -> str:
    """Escape text or an attribute value; ``\\r`` becomes a reference so parsers keep it."""
    return html.escape(str(value), quote=True).replace("\r", "&#13;")


def palette_class(name: str | None, palette: Mapping[str, int]) -> str:
    """The CSS class colouring a speaker: ``qc-s<N>``, or ``qc-s-none`` for no/unknown name."""
    if name is None or name not in palette:
        return "qc-s-none"
    return f"qc-s{palette[name] % len(PALETTE)}"


def speaker_palette(records: Iterable[DocumentRecord]) -> dict[str, int]:
    """A palette index per canonical speaker name, stable within a page: speakers are numbered
    in order of first appearance, documents in page order and each roster most quoted first."""
    palette: dict[str, int] = {}
    for record in records:
        names = [entry.name for entry in record.speakers]
        names += [card.speaker.name for card in record.cards if card.speaker is not None]
        for name in names:
            palette.setdefault(name, len(palette))
    return palette


def _anchor_for(doc_id: str, index: int | None = None) -> str:
    slug = _ID_UNSAFE.sub("-", doc_id).strip("-")[:60] or "doc"
    return f"doc-{slug}" if index is None else f"doc-{index}-{slug}"


def _title_of(text: str, record: DocumentRecord) -> str:
    if record.source.title:
        return record.source.title
    paras = paragraphs(text)
    if paras:
        first = " ".join(text[paras[0][0] : paras[0][1]].split())
        return first if len(first) <= 140 else first[:139].rstrip() + "…"
    return record.doc_id


# --------------------------------------------------------------------------- highlights


@dataclass
class _Mark:
    """One highlight of ``text[start:end]``; may be written as several fragments."""

    start: int
    end: int
    layer: int
    order: int
    tag: str
    classes: str
    attrs: str = ""  # on every fragment
    main_attrs: str = ""  # on the last fragment only (id, tabindex, …)
    tail: str = ""  # HTML at the end of the last fragment (the tooltip card)


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    mark: int


def _pieces(marks: Sequence[_Mark], paras: Sequence[tuple[int, int]]) -> list[list[_Piece]]:
    """Each mark cut at paragraph bounds and at the bounds of marks of more important layers,
    grouped by paragraph; pieces outside every paragraph (blank lines) are dropped."""
    para_bounds = sorted({b for span in paras for b in span})
    before: dict[int, list[int]] = {}
    for layer in {m.layer for m in marks}:
        before[layer] = sorted(
            set(para_bounds) | {b for m in marks if m.layer < layer for b in (m.start, m.end)}
        )
    starts = [s for s, _ in paras]
    grouped: list[list[_Piece]] = [[] for _ in paras]
    for index, mark in enumerate(marks):
        bounds = before[mark.layer]
        lo = bisect.bisect_right(bounds, mark.start)
        hi = bisect.bisect_left(bounds, mark.end)
        points = [mark.start, *bounds[lo:hi], mark.end]
        for a, b in itertools.pairwise(points):
            if a >= b:
                continue
            p = bisect.bisect_right(starts, a) - 1
            if p >= 0 and b <= paras[p][1]:
                grouped[p].append(_Piece(a, b, index))
    return grouped


def _paragraph_events(
    start: int, end: int, pieces: Sequence[_Piece], marks: Sequence[_Mark]
) -> list[tuple[str, int, int]]:
    """("text", a, b), ("open", mark, 0) and ("close", mark, 0) events for one paragraph.

    A stack of open pieces: at each boundary the lowest piece ending there is closed with
    everything above it, and those above that go on are reopened (a new fragment)."""
    opening: dict[int, list[_Piece]] = {}
    for piece in pieces:
        opening.setdefault(piece.start, []).append(piece)
    points = sorted({start, end} | {p.start for p in pieces} | {p.end for p in pieces})
    stack: list[_Piece] = []
    events: list[tuple[str, int, int]] = []
    pos = start
    for point in points:
        if point > pos:
            events.append(("text", pos, point))
            pos = point
        lowest = next((k for k, piece in enumerate(stack) if piece.end == point), None)
        reopen: list[_Piece] = []
        if lowest is not None:
            while len(stack) > lowest:
                piece = stack.pop()
                events.append(("close", piece.mark, 0))
                if piece.end != point:
                    reopen.append(_Piece(point, piece.end, piece.mark))
        todo = reopen + opening.get(point, [])
        todo.sort(key=lambda p: (-p.end, marks[p.mark].layer, marks[p.mark].order))
        for piece in todo:
            stack.append(piece)
            events.append(("open", piece.mark, 0))
    return events


def _highlighted_text(text: str, marks: Sequence[_Mark]) -> str:
    """The document text as paragraphs with every mark written in, well-formed."""
    paras = paragraphs(text)
    grouped = _pieces(marks, paras)
    events: list[tuple[str, int, int]] = []
    pos = 0
    for (p_start, p_end), pieces in zip(paras, grouped, strict=True):
        events.append(("text", pos, p_start))
        events.append(("p", 0, 0))
        events += _paragraph_events(p_start, p_end, pieces, marks)
        events.append(("/p", 0, 0))
        pos = p_end
    events.append(("text", pos, len(text)))
    total = [0] * len(marks)
    for kind, index, _ in events:
        if kind == "open":
            total[index] += 1
    opened = [0] * len(marks)
    out: list[str] = []
    for kind, a, b in events:
        if kind == "text":
            out.append(_esc(text[a:b]))
        elif kind == "p":
            out.append("<p>")
        elif kind == "/p":
            out.append("</p>")
        elif kind == "open":
            mark = marks[a]
            opened[a] += 1
            if opened[a] == total[a]:  # the last fragment carries the id, focus and card
                out.append(f'<{mark.tag} class="{mark.classes}"{mark.attrs}{mark.main_attrs}>')
            else:
                out.append(f'<{mark.tag} class="{mark.classes} qc-part"{mark.attrs}>')
        else:
            mark = marks[a]
            out.append((mark.tail if opened[a] == total[a] else "") + f"</{mark.tag}>")
    return "".join(out)


# --------------------------------------------------------------------------- cards


def _row(label: str, value: str) -> str:
    return (
        f'<span class="qc-row"><span class="qc-label">{_esc(label)}</span>'
        f'<span class="qc-value">{value}</span></span>'
    )


def _badge(kind: QuoteKind) -> str:
    return f'<span class="qc-badge qc-k-{_esc(kind)}">{_esc(kind)}</span>'


def _card_tooltip(card: FactCard, number: int, card_id: str) -> str:
    """The hover / focus card of a quote: phrasing content only, so it may sit inside a <p>."""
    q = card.quote
    rows = [
        f'<span class="qc-card-head">{_badge(q.kind)}'
        f'<span class="qc-card-kind">{_esc(_KIND_LABEL[q.kind])}</span>'
        f'<span class="qc-card-n">#{number}</span></span>'
    ]
    if card.speaker is not None:
        sp = card.speaker
        who = f"<strong>{_esc(sp.name)}</strong>"
        if sp.mention and sp.mention != sp.name:
            who += f' <span class="qc-dim">as “{_esc(sp.mention)}”</span>'
        rows.append(_row("Speaker", who))
        rows.append(_row("Title", _esc(sp.title) if sp.title else "—"))
        rows.append(_row("Type", _esc(sp.type)))
    else:
        rows.append(_row("Speaker", '<span class="qc-dim">none</span>'))
    rows.append(_row("Addressee", _esc(card.addressee.name) if card.addressee else "—"))
    if card.cue is not None:
        rows.append(
            _row(
                "Cue", f"{_esc(card.cue.text)} <span class='qc-dim'>({_esc(card.cue.lemma)})</span>"
            )
        )
    rows.append(
        _row(
            "Method",
            f"{_esc(card.method)} <span class='qc-dim'>"
            f"{_esc(_METHOD_LABEL.get(card.method, ''))}</span>",
        )
    )
    rows.append(_row("Confidence", _confidence(card.confidence)))
    return f'<span class="qc-card" id="{card_id}" role="tooltip">{"".join(rows)}</span>'


def _confidence(value: float) -> str:
    pct = max(0.0, min(1.0, value)) * 100
    return (
        f'<span class="qc-conf">{value:.2f}</span>'
        f'<span class="qc-meter" aria-hidden="true"><span style="width:{pct:.0f}%"></span></span>'
    )


def _document_marks(record: DocumentRecord, palette: Mapping[str, int], anchor: str) -> list[_Mark]:
    marks: list[_Mark] = []
    seen: set[tuple[int, int, int]] = set()

    def add(mark: _Mark) -> None:
        key = (mark.layer, mark.start, mark.end)
        if mark.layer != _QUOTE and key in seen:
            return
        seen.add(key)
        mark.order = len(marks)
        marks.append(mark)

    for number, card in enumerate(record.cards, start=1):
        q = card.quote
        name = card.speaker.name if card.speaker else None
        colour = palette_class(name, palette)
        if q.end > q.start:
            qid = f"{anchor}-q{number}"
            speaker_attr = f' data-speaker="{_esc(name)}"' if name is not None else ""
            add(
                _Mark(
                    q.start,
                    q.end,
                    _QUOTE,
                    0,
                    "mark",
                    f"qc-q qc-k-{_esc(q.kind)} {colour}",
                    attrs=f' data-card="{_esc(card.id)}" data-kind="{_esc(q.kind)}"',
                    main_attrs=(
                        f' id="{qid}" tabindex="0" aria-describedby="{qid}-card"'
                        f'{speaker_attr} data-ref="{number}"'
                    ),
                    tail=_card_tooltip(card, number, f"{qid}-card"),
                )
            )
        sp = card.speaker
        if sp is not None and sp.end > sp.start:
            title = sp.name + (f", {sp.title}" if sp.title else "")
            add(
                _Mark(
                    sp.start,
                    sp.end,
                    _MENTION,
                    0,
                    "span",
                    f"qc-who {colour}",
                    attrs=f' data-speaker="{_esc(sp.name)}" title="Speaker: {_esc(title)}"',
                )
            )
        to = card.addressee
        if to is not None and to.end > to.start:
            add(
                _Mark(
                    to.start,
                    to.end,
                    _ADDRESSEE,
                    0,
                    "span",
                    f"qc-to {palette_class(to.name, palette)}",
                    attrs=f' data-addressee="{_esc(to.name)}" title="Addressee: {_esc(to.name)}"',
                )
            )
        cue = card.cue
        if cue is not None and cue.end > cue.start:
            add(
                _Mark(
                    cue.start,
                    cue.end,
                    _CUE,
                    0,
                    "span",
                    "qc-cue",
                    attrs=f' title="Reporting cue: {_esc(cue.lemma)}"',
                )
            )
    return marks


def _check(text: str, record: DocumentRecord) -> None:
    """Refuse a record whose offsets do not point into this text."""
    for card in record.cards:
        spans = [("quote", card.quote.start, card.quote.end)]
        spans += [("speaker", card.speaker.start, card.speaker.end)] if card.speaker else []
        spans += [("cue", card.cue.start, card.cue.end)] if card.cue else []
        spans += [("addressee", card.addressee.start, card.addressee.end)] if card.addressee else []
        for what, start, end in spans:
            if not 0 <= start <= end <= len(text):
                raise ValueError(
                    f"card {card.id}: {what} offsets {start}:{end} outside the text "
                    f"({len(text)} characters): the record is not of this text"
                )
        if text[card.quote.start : card.quote.end] != card.quote.text:
            raise ValueError(
                f"card {card.id}: quote text differs from text[{card.quote.start}:"
                f"{card.quote.end}]: the record is not of this text"
            )


# --------------------------------------------------------------------------- document


def _roster(record: DocumentRecord, palette: Mapping[str, int], anchor: str) -> str:
    head = f'<h3 id="{anchor}-speakers">Speakers</h3>'
    if not record.speakers:
        body = '<p class="qc-empty">No attributed speaker.</p>'
    else:
        rows = []
        for entry in record.speakers:
            colour = palette_class(entry.name, palette)
            rows.append(
                f'<tr data-speaker="{_esc(entry.name)}">'
                f'<th scope="row"><span class="qc-swatch {colour}" aria-hidden="true"></span>'
                f'<span class="qc-name">{_esc(entry.name)}</span>'
                f'<span class="qc-type">{_esc(entry.type)}</span></th>'
                f"<td>{_esc(entry.title) if entry.title else '—'}</td>"
                f'<td class="qc-num">{entry.quotes}</td></tr>'
            )
        body = (
            '<table class="qc-roster-table"><thead><tr><th scope="col">Name · type</th>'
            '<th scope="col">Title</th>'
            '<th scope="col" class="qc-num">Quotes</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    unattributed = sum(1 for card in record.cards if card.speaker is None)
    if unattributed:
        body += (
            f'<p class="qc-unattributed"><span class="qc-swatch qc-s-none" aria-hidden="true">'
            f"</span>{unattributed} quote{'s' if unattributed != 1 else ''} without a speaker</p>"
        )
    return f'<aside class="qc-roster" aria-labelledby="{anchor}-speakers">{head}{body}</aside>'


def _cards_table(record: DocumentRecord, palette: Mapping[str, int], anchor: str) -> str:
    head = f'<h3 id="{anchor}-cards">Quote cards</h3>'
    if not record.cards:
        return (
            f'<section class="qc-cards" aria-labelledby="{anchor}-cards">{head}'
            '<p class="qc-empty">No quotes found.</p></section>'
        )
    rows = []
    for number, card in enumerate(record.cards, start=1):
        q = card.quote
        ref = (
            f'<a href="#{anchor}-q{number}" aria-label="Quote {number} in the text">{number}</a>'
            if q.end > q.start
            else str(number)
        )
        if card.speaker is not None:
            sp = card.speaker
            who = (
                f'<span class="qc-swatch {palette_class(sp.name, palette)}" aria-hidden="true">'
                f'</span><span class="qc-name">{_esc(sp.name)}</span>'
            )
            if sp.title:
                who += f'<span class="qc-dim qc-block">{_esc(sp.title)}</span>'
            if sp.mention and sp.mention != sp.name:
                who += f'<span class="qc-dim qc-block">as “{_esc(sp.mention)}”</span>'
        else:
            who = '<span class="qc-swatch qc-s-none" aria-hidden="true"></span>—'
        cue = _esc(card.cue.text) if card.cue else "—"
        to = _esc(card.addressee.name) if card.addressee else "—"
        rows.append(
            f'<tr id="{anchor}-c{number}" data-card="{_esc(card.id)}">'
            f'<td class="qc-num">{ref}</td><td>{_badge(q.kind)}</td><td>{who}</td>'
            f'<td class="qc-quote-cell">“{_esc(q.text)}”</td><td>{cue}</td><td>{to}</td>'
            f"<td>{_esc(card.method)}</td>"
            f'<td class="qc-num">{card.confidence:.2f}</td></tr>'
        )
    return (
        f'<section class="qc-cards" aria-labelledby="{anchor}-cards">{head}'
        '<div class="qc-table-wrap"><table class="qc-cards-table"><thead><tr>'
        '<th scope="col" class="qc-num">#</th><th scope="col">Kind</th>'
        '<th scope="col">Speaker</th><th scope="col">Quote</th><th scope="col">Cue</th>'
        '<th scope="col">Addressee</th><th scope="col">Method</th>'
        '<th scope="col" class="qc-num">Conf.</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _meta(record: DocumentRecord, anchor: str) -> str:
    parts = [f'<span><span class="qc-label">id</span> {_esc(record.doc_id)}</span>']
    source = record.source
    if source.path:
        parts.append(f'<span><span class="qc-label">file</span> {_esc(source.path)}</span>')
    if source.date:
        parts.append(f'<span><span class="qc-label">date</span> {_esc(source.date)}</span>')
    if source.url:
        url = _esc(source.url)
        if source.url.lower().startswith(("https://", "http://")):
            link = f'<a href="{url}" rel="noopener noreferrer">{url}</a>'
        else:
            link = url
        parts.append(f'<span><span class="qc-label">url</span> {link}</span>')
    quotes = len(record.cards)
    speakers = len(record.speakers)
    parts.append(
        f"<span>{quotes} quote{'s' if quotes != 1 else ''} · "
        f"{speakers} speaker{'s' if speakers != 1 else ''}</span>"
    )
    return f'<p class="qc-doc-meta" id="{anchor}-meta">{"".join(parts)}</p>'


def render_document(
    text: str,
    record: DocumentRecord,
    *,
    palette: Mapping[str, int] | None = None,
    anchor: str | None = None,
) -> str:
    """One document as an HTML ``<article>`` fragment (style it with :data:`STYLESHEET`).

    ``palette`` maps canonical speaker names to colour indexes (default: this record's own,
    see :func:`speaker_palette`); ``anchor`` is the article's id, the prefix of every id in
    it (default: from ``doc_id``). Raises ``ValueError`` when the record's offsets are not
    of ``text``.
    """
    _check(text, record)
    colours = palette if palette is not None else speaker_palette([record])
    anchor = _ID_UNSAFE.sub("-", anchor) if anchor else _anchor_for(record.doc_id)
    marks = _document_marks(record, colours, anchor)
    body = _highlighted_text(text, marks)
    return (
        f'<article class="qc-doc" id="{anchor}" aria-labelledby="{anchor}-title" '
        f'data-doc-id="{_esc(record.doc_id)}">'
        f'<header class="qc-doc-head"><h2 id="{anchor}-title">{_esc(_title_of(text, record))}'
        f"</h2>{_meta(record, anchor)}</header>"
        f'<div class="qc-doc-body"><div class="qc-text" aria-label="Document text">{body}</div>'
        f"{_roster(record, colours, anchor)}</div>"
        f"{_cards_table(record, colours, anchor)}</article>"
    )


# --------------------------------------------------------------------------- page


def _palette_css() -> str:
    rules = [
        f".qc-s{i}{{--qc-bg:{bg};--qc-soft:{soft};--qc-ink:{ink}}}"
        for i, (bg, soft, ink) in enumerate(PALETTE)
    ]
    bg, soft, ink = _NO_SPEAKER
    rules.append(f".qc-s-none{{--qc-bg:{bg};--qc-soft:{soft};--qc-ink:{ink}}}")
    return "\n".join(rules)


_BASE_CSS = """
:root{color-scheme:light;--qc-text:#1b1f24;--qc-muted:#4d5663;--qc-line:#d8dde4;
--qc-page:#f3f4f6;--qc-paper:#fff;--qc-accent:#1f4fb8;--qc-focus:#0b3d91;
--qc-sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",
"DejaVu Sans",sans-serif;
--qc-serif:Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,"Liberation Serif",
"DejaVu Serif",serif}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--qc-page);color:var(--qc-text);font:1rem/1.55 var(--qc-sans)}
a{color:var(--qc-accent)}
a:focus-visible,summary:focus-visible{outline:3px solid var(--qc-focus);outline-offset:2px}
.qc-skip{position:absolute;left:-999rem;top:.5rem;padding:.5rem 1rem;background:#fff;
border-radius:.35rem;z-index:100}
.qc-skip:focus{left:.75rem;outline:3px solid var(--qc-focus)}
.qc-page-head{background:#14213d;color:#fff;padding:1.6rem 0 1.4rem}
.qc-wrap{max-width:76rem;margin:0 auto;padding:0 1.5rem}
.qc-page-head h1{margin:0 0 .25rem;font-size:1.7rem;line-height:1.2;letter-spacing:-.01em}
.qc-page-head p{margin:0;color:#d6dcea}
.qc-top{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.25rem;
margin:1.25rem auto}
.qc-box{background:var(--qc-paper);border:1px solid var(--qc-line);border-radius:.6rem;
padding:1rem 1.25rem}
.qc-box h2{margin:0 0 .6rem;font-size:.8rem;text-transform:uppercase;letter-spacing:.08em;
color:var(--qc-muted)}
.qc-toc ol{margin:0;padding-left:1.4rem}
.qc-toc li{margin:.2rem 0}
.qc-toc-meta{color:var(--qc-muted);font-size:.85rem;white-space:nowrap}
.qc-legend ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.1rem;
font-size:.9rem}
.qc-legend li{white-space:nowrap}
.qc-doc{background:var(--qc-paper);border:1px solid var(--qc-line);border-radius:.6rem;
margin:0 auto 1.5rem;padding:1.5rem 1.75rem 1.25rem;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.qc-doc-head{border-bottom:1px solid var(--qc-line);padding-bottom:.75rem;margin-bottom:1.25rem}
.qc-doc-head h2{margin:0 0 .35rem;font:700 1.45rem/1.25 var(--qc-serif);color:#111827}
.qc-doc-meta{margin:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;color:var(--qc-muted);
font-size:.85rem;overflow-wrap:anywhere}
.qc-label{font-size:.72rem;text-transform:uppercase;letter-spacing:.06em;color:var(--qc-muted)}
.qc-doc-body{display:grid;grid-template-columns:minmax(0,1fr) 20rem;gap:2.25rem;
align-items:start}
.qc-text{font:1.08rem/1.8 var(--qc-serif);max-width:44rem;overflow-wrap:break-word}
.qc-text p{position:relative;margin:0 0 1em}
.qc-roster{position:sticky;top:1rem;border:1px solid var(--qc-line);border-radius:.5rem;
padding:.85rem 1rem;background:#fafbfc}
.qc-roster h3,.qc-cards h3{margin:0 0 .6rem;font-size:.8rem;text-transform:uppercase;
letter-spacing:.08em;color:var(--qc-muted)}
.qc-roster-table,.qc-cards-table{width:100%;border-collapse:collapse;font-size:.875rem}
.qc-roster-table th,.qc-roster-table td{padding:.35rem .3rem;border-bottom:1px solid
var(--qc-line);text-align:left;vertical-align:top}
.qc-roster-table thead th,.qc-cards-table thead th{font-size:.72rem;text-transform:uppercase;
letter-spacing:.05em;color:var(--qc-muted);font-weight:600}
.qc-roster-table tbody th{font-weight:600}
.qc-type{display:block;margin-left:1.4rem;font-size:.75rem;font-weight:400;color:var(--qc-muted)}
.qc-num{text-align:right!important;font-variant-numeric:tabular-nums}
.qc-unattributed,.qc-empty{margin:.6rem 0 0;color:var(--qc-muted);font-size:.875rem}
.qc-swatch{display:inline-block;width:.95em;height:.95em;border-radius:.2em;margin-right:.45em;
vertical-align:-.12em;background:var(--qc-bg);border:2px solid var(--qc-ink)}
.qc-cards{margin-top:1.5rem;border-top:1px solid var(--qc-line);padding-top:1rem}
.qc-table-wrap{overflow-x:auto}
.qc-cards-table th,.qc-cards-table td{padding:.45rem .5rem;border-bottom:1px solid
var(--qc-line);text-align:left;vertical-align:top}
.qc-cards-table tbody tr:nth-child(even){background:#f8f9fb}
.qc-cards-table tbody tr:target{background:#fff6cc}
.qc-quote-cell{font-family:var(--qc-serif);min-width:16rem}
.qc-dim{color:var(--qc-muted);font-weight:400}
.qc-block{display:block;font-size:.8rem}
.qc-badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font:600 .72rem/1.5
var(--qc-sans);letter-spacing:.03em;text-transform:uppercase;border:1px solid #8a94a3;
background:#fff;color:var(--qc-text);white-space:nowrap}
.qc-badge.qc-k-direct{border-style:solid}
.qc-badge.qc-k-partial{border-style:dashed}
.qc-badge.qc-k-indirect{border-style:dotted}
.qc-badge.qc-k-scare{border-style:double;border-width:3px}
/* quotes: fill and underline in the speaker's colours, the underline style tells the kind */
mark.qc-q,.qc-sample{color:inherit;background:var(--qc-bg);border-bottom:2px solid var(--qc-ink);
padding:.1em .12em;border-radius:.22em;-webkit-box-decoration-break:clone;
box-decoration-break:clone}
mark.qc-q{cursor:help}
mark.qc-k-partial,.qc-sample.qc-k-partial{border-bottom-style:dashed}
mark.qc-k-indirect,.qc-sample.qc-k-indirect{background:var(--qc-soft);border-bottom-style:dotted}
mark.qc-k-scare,.qc-sample.qc-k-scare{background:var(--qc-soft);border-bottom:3px double
var(--qc-ink)}
mark.qc-q:focus{outline:3px solid var(--qc-focus);outline-offset:2px}
mark.qc-q[data-ref]::after{content:attr(data-ref);font:700 .62em/1 var(--qc-sans);
vertical-align:.55em;margin-left:.2em;color:var(--qc-ink)}
.qc-who{font-weight:700;text-decoration:underline solid var(--qc-ink) 2px;
text-underline-offset:.24em}
.qc-to{font-weight:600;text-decoration:underline dashed var(--qc-ink) 2px;
text-underline-offset:.24em}
.qc-cue{font-style:italic;text-decoration:underline dotted #3f4753 2px;
text-underline-offset:.24em}
/* the card: shown on hover and on keyboard focus, CSS only */
.qc-card{display:none;position:absolute;left:0;z-index:20;width:min(25rem,100%);
margin-top:.35rem;padding:.7rem .9rem .75rem;background:#fff;color:var(--qc-text);
border:1px solid #c3cad4;border-top:4px solid var(--qc-ink);border-radius:.5rem;
box-shadow:0 12px 32px rgba(15,23,42,.2);font:400 .85rem/1.45 var(--qc-sans);
font-style:normal;text-align:left;white-space:normal;cursor:auto}
mark.qc-q:hover>.qc-card,mark.qc-q:focus>.qc-card,mark.qc-q:focus-within>.qc-card{
display:block}
mark.qc-q:has(mark.qc-q:hover)>.qc-card,mark.qc-q:has(mark.qc-q:focus)>.qc-card{display:none}
.qc-card-head{display:flex;align-items:center;gap:.5rem;margin-bottom:.45rem}
.qc-card-kind{font-weight:700}
.qc-card-n{margin-left:auto;color:var(--qc-muted);font-variant-numeric:tabular-nums}
.qc-row{display:flex;gap:.75rem;padding:.12rem 0}
.qc-row .qc-label{flex:0 0 5.8rem;padding-top:.12rem}
.qc-value{flex:1 1 auto;min-width:0}
.qc-conf{font-variant-numeric:tabular-nums;margin-right:.5rem}
.qc-meter{display:inline-block;width:5rem;height:.45rem;border-radius:.25rem;background:#e5e8ec;
vertical-align:.1em;overflow:hidden}
.qc-meter>span{display:block;height:100%;background:var(--qc-ink)}
@media (max-width:60rem){.qc-top{grid-template-columns:minmax(0,1fr)}
.qc-doc-body{grid-template-columns:minmax(0,1fr)}.qc-roster{position:static;order:-1}
.qc-doc{padding:1.1rem}}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important}}
@page{margin:16mm 14mm}
@media print{
body{background:#fff;font-size:10pt}
.qc-skip,.qc-card{display:none!important}
.qc-page-head{background:none;color:#000;padding:0 0 .5rem;border-bottom:2px solid #000}
.qc-page-head p{color:#333}
.qc-wrap{max-width:none;padding:0}
.qc-top{display:block}
.qc-box,.qc-doc,.qc-roster{border:none;box-shadow:none;padding:0;background:none}
.qc-box{margin-bottom:.75rem}
.qc-doc{break-before:page;margin:0}
.qc-doc-body{display:block}
.qc-roster{position:static;margin-top:1rem;break-inside:avoid}
.qc-text{max-width:none;font-size:10.5pt;line-height:1.6}
.qc-cards-table{font-size:8.5pt}
.qc-cards-table tr{break-inside:avoid}
.qc-table-wrap{overflow:visible}
a{color:inherit;text-decoration:none}
mark.qc-q,.qc-sample,.qc-swatch,.qc-meter>span{-webkit-print-color-adjust:exact;
print-color-adjust:exact}
mark.qc-q[data-ref]::after{content:"[" attr(data-ref) "]";color:#000}
}
"""

#: The page's whole stylesheet (no url(), @import or web fonts: nothing is fetched).
STYLESHEET = _BASE_CSS.strip() + "\n" + _palette_css() + "\n"


def _legend() -> str:
    samples = [
        '<mark class="qc-sample qc-k-direct qc-s0">direct</mark> quote',
        '<mark class="qc-sample qc-k-partial qc-s0">partial</mark> quote',
        '<mark class="qc-sample qc-k-indirect qc-s0">indirect</mark> speech',
        '<mark class="qc-sample qc-k-scare qc-s-none">scare</mark> quote',
        '<span class="qc-who qc-s0">speaker</span> mention',
        '<span class="qc-cue">said</span> reporting cue',
        '<span class="qc-to qc-s1">addressee</span>',
    ]
    items = "".join(f"<li>{s}</li>" for s in samples)
    return (
        '<section class="qc-box qc-legend" aria-labelledby="qc-legend-title">'
        '<h2 id="qc-legend-title">Key</h2>'
        f"<ul>{items}</ul>"
        '<p class="qc-dim" style="margin:.6rem 0 0;font-size:.85rem">Each speaker has a colour; '
        "the underline tells the kind. Hover over or tab to a quote for its card: speaker, "
        "title, addressee, kind, method and confidence. The number after a quote is its row "
        "in the table of quote cards.</p></section>"
    )


def render_page(docs: Sequence[tuple[str, DocumentRecord]], title: str = "Quotes") -> str:
    """A self-contained HTML page of ``(text, record)`` documents: contents, key, and one
    article per document; speaker colours are shared across the page."""
    records = [record for _, record in docs]
    palette = speaker_palette(records)
    articles: list[str] = []
    toc: list[str] = []
    for index, (text, record) in enumerate(docs, start=1):
        anchor = _anchor_for(record.doc_id, index)
        articles.append(render_document(text, record, palette=palette, anchor=anchor))
        quotes, speakers = len(record.cards), len(record.speakers)
        toc.append(
            f'<li><a href="#{anchor}">{_esc(_title_of(text, record))}</a> '
            f'<span class="qc-toc-meta">{quotes} quote{"s" if quotes != 1 else ""} · '
            f"{speakers} speaker{'s' if speakers != 1 else ''}</span></li>"
        )
    n_quotes = sum(len(r.cards) for r in records)
    summary = (
        f"{len(docs)} document{'s' if len(docs) != 1 else ''} · "
        f"{n_quotes} quote{'s' if n_quotes != 1 else ''} · "
        f"{len(palette)} speaker{'s' if len(palette) != 1 else ''}"
    )
    contents = f"<ol>{''.join(toc)}</ol>" if toc else '<p class="qc-empty">No documents.</p>'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="quote-cards">\n'
        f"<title>{_esc(title)}</title>\n<style>\n{STYLESHEET}</style>\n</head>\n<body>\n"
        '<a class="qc-skip" href="#qc-main">Skip to the documents</a>\n'
        f'<header class="qc-page-head"><div class="qc-wrap"><h1>{_esc(title)}</h1>'
        f"<p>{summary}</p></div></header>\n"
        '<div class="qc-wrap qc-top">'
        '<nav class="qc-box qc-toc" aria-labelledby="qc-toc-title">'
        f'<h2 id="qc-toc-title">Contents</h2>{contents}</nav>{_legend()}</div>\n'
        f'<main id="qc-main" class="qc-wrap">\n{chr(10).join(articles)}\n</main>\n'
        "</body>\n</html>\n"
    )
