"""Tests for quotes.render: the HTML is parsed with the stdlib parser and checked for structure,
well-formedness, escaping and that the article text is exactly the document text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes import Extractor
from quotes.core.cards import roster
from quotes.core.marks import paragraphs
from quotes.models import (
    Addressee,
    Cue,
    DocumentRecord,
    FactCard,
    Quote,
    QuoteKind,
    Source,
    Speaker,
)
from quotes.render import (
    PALETTE,
    STYLESHEET,
    palette_class,
    plural,
    render_document,
    render_page,
    speaker_palette,
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_e952d6c5d011f049.txt"
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Elements that would end an open <p> in a browser: never allowed inside a paragraph.
BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "div", "dl", "fieldset", "figure", "footer"}
    | {"form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p"}
    | {"pre", "section", "table", "ul"}
)


# --------------------------------------------------------------------------- a strict tree


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]

    def find(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag or '*'} class={cls}>"
        return found[0]

    def text(self, skip: str | None = "qc-card") -> str:
        out: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                out.append(child)
            elif skip is None or skip not in child.classes:
                out.append(child.text(skip))
        return "".join(out)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class StrictTree(HTMLParser):
    """Builds a tree and fails on any end tag that does not close the innermost open element
    (the stdlib parser does no error recovery, so crossing markup is caught here)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"end tag for void element <{tag}>"
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>: not well-formed"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(markup: str) -> Node:
    tree = StrictTree()
    tree.feed(markup)
    tree.close()
    assert tree.current is tree.root, f"<{tree.current.tag}> never closed"
    for p in tree.root.find_all("p"):
        for inner in p.iter():
            assert inner is p or inner.tag not in BLOCK, f"<{inner.tag}> inside <p>"
    return tree.root


def coverage(text_div: Node) -> list[set[tuple[str, str]]]:
    """For each character of the article text, the highlights around it."""
    cover: list[set[tuple[str, str]]] = []

    def walk(node: Node, active: frozenset[tuple[str, str]]) -> None:
        here = set(active)
        if node.tag == "mark" and "qc-q" in node.classes:
            here.add(("quote", node.attrs["data-card"]))
        for cls in ("qc-who", "qc-cue", "qc-to"):
            if cls in node.classes:
                here.add((cls, ""))
        for child in node.children:
            if isinstance(child, str):
                cover.extend(set(here) for _ in child)
            elif "qc-card" not in child.classes:
                walk(child, frozenset(here))

    walk(text_div, frozenset())
    return cover


def written_span(card: FactCard, record: DocumentRecord) -> tuple[int, int]:
    """The offsets a card's highlight covers: its quote's, except that an indirect card is
    widened to hold the partial quotes that are part of it (``part_of``) and overlap it: the
    extractor lets such a fragment end on the punctuation just after the clause."""
    start, end = card.quote.start, card.quote.end
    if card.quote.kind != "indirect" or end <= start:
        return start, end
    clause = (start, end)  # a part must overlap the clause itself, not another part's widening
    for part in record.cards:
        q = part.quote
        if (
            part.part_of == card.id
            and q.end > q.start
            and q.start < clause[1]
            and clause[0] < q.end
        ):
            start, end = min(start, q.start), max(end, q.end)
    return start, end


def expected_coverage(text: str, record: DocumentRecord) -> list[set[tuple[str, str]]]:
    inside = [False] * len(text)
    for start, end in paragraphs(text):
        inside[start:end] = [True] * (end - start)
    cover: list[set[tuple[str, str]]] = [set() for _ in text]

    def put(key: tuple[str, str], start: int, end: int) -> None:
        for i in range(start, end):
            if inside[i]:
                cover[i].add(key)

    for card in record.cards:
        put(("quote", card.id), *written_span(card, record))
        if card.speaker:
            put(("qc-who", ""), card.speaker.start, card.speaker.end)
        if card.cue:
            put(("qc-cue", ""), card.cue.start, card.cue.end)
        if card.addressee:
            put(("qc-to", ""), card.addressee.start, card.addressee.end)
    return cover


def primary_marks(root: Node) -> dict[str, Node]:
    """data-card -> the focusable fragment of each quote."""
    marks = [m for m in root.find_all("mark", "qc-q") if "qc-part" not in m.classes]
    by_card = {m.attrs["data-card"]: m for m in marks}
    assert len(by_card) == len(marks), "one focusable fragment per quote"
    return by_card


def quote_text(mark: Node, root: Node) -> str:
    """The quote's text over all its fragments, in document order."""
    card = mark.attrs["data-card"]
    return "".join(m.text() for m in root.find_all("mark", "qc-q") if m.attrs["data-card"] == card)


# --------------------------------------------------------------------------- records by hand


def span(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def make_card(
    text: str,
    number: int,
    quote: tuple[int, int],
    *,
    kind: QuoteKind = "direct",
    speaker: tuple[int, int] | None = None,
    name: str | None = None,
    title: str | None = None,
    cue: tuple[int, int] | None = None,
    addressee: tuple[int, int] | None = None,
    doc_id: str = "doc",
    part_of: str | None = None,
) -> FactCard:
    qs, qe = quote
    who = None
    if speaker is not None:
        s, e = speaker
        who = Speaker(
            name=name or text[s:e] or "Someone",
            mention=text[s:e],
            start=s,
            end=e,
            type="person",
            title=title,
        )
    return FactCard(
        id=f"q_{number:04d}",
        doc_id=doc_id,
        quote=Quote(text=text[qs:qe], start=qs, end=qe, kind=kind),
        speaker=who,
        cue=Cue(text=text[cue[0] : cue[1]], lemma="say", start=cue[0], end=cue[1]) if cue else None,
        addressee=Addressee(
            name="Listener",
            mention=text[addressee[0] : addressee[1]],
            start=addressee[0],
            end=addressee[1],
        )
        if addressee
        else None,
        method="cue_adjacent" if who else "none",
        confidence=0.9 if who else 0.2,
        paragraph=0,
        sentence=text[:80],
        part_of=part_of,
    )


def make_record(cards: list[FactCard], doc_id: str = "doc", **source: str) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id, source=Source(**source), cards=cards, speakers=roster(cards)
    )


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def seed() -> tuple[str, DocumentRecord]:
    """The seed and its record; the model is loaded once for this module."""
    text = SEED.read_text(encoding="utf-8")
    record = Extractor().extract_document(text, SEED.stem).record(Source(path=f"seeds/{SEED.name}"))
    assert len(record.cards) >= 10, "the seed has quotes"
    return text, record


@pytest.fixture(scope="module")
def seed_page(seed: tuple[str, DocumentRecord]) -> Node:
    return parse(render_page([seed], title="Seed"))


# --------------------------------------------------------------------------- the seed


def test_every_seed_quote_is_highlighted_with_its_speaker(
    seed: tuple[str, DocumentRecord], seed_page: Node
) -> None:
    text, record = seed
    marks = primary_marks(seed_page)
    assert set(marks) == {c.id for c in record.cards if c.quote.end > c.quote.start}
    palette = speaker_palette([record])
    for number, card in enumerate(record.cards, start=1):
        mark = marks[card.id]
        start, end = written_span(card, record)
        assert quote_text(mark, seed_page) == text[start:end]
        assert card.quote.text in text[start:end]
        assert mark.attrs["tabindex"] == "0"
        assert f"qc-k-{card.quote.kind}" in mark.classes
        assert mark.attrs["data-kind"] == card.quote.kind
        assert mark.attrs["data-ref"] == str(number)
        name = card.speaker.name if card.speaker else None
        assert palette_class(name, palette) in mark.classes
        if name is not None:
            assert mark.attrs["data-speaker"] == name
        # the card: referenced for assistive technology, holds every field as text
        tooltip = [c for c in mark.children if isinstance(c, Node) and "qc-card" in c.classes]
        assert len(tooltip) == 1
        assert tooltip[0].attrs["id"] == mark.attrs["aria-describedby"]
        assert tooltip[0].attrs["role"] == "tooltip"
        shown = tooltip[0].text(skip=None)
        assert card.quote.kind in shown.lower()
        assert card.method in shown
        assert f"{card.confidence:.2f}" in shown
        if card.speaker is not None:
            assert card.speaker.name in shown
            if card.speaker.title:
                assert card.speaker.title in shown
        if card.addressee is not None:
            assert card.addressee.name in shown


def test_seed_article_text_is_the_original_text(
    seed: tuple[str, DocumentRecord], seed_page: Node
) -> None:
    text, _ = seed
    body = seed_page.find("div", "qc-text")
    assert body.text() == text
    assert len(body.find_all("p")) == len(paragraphs(text))


def test_seed_highlights_cover_exactly_the_offsets(
    seed: tuple[str, DocumentRecord], seed_page: Node
) -> None:
    text, record = seed
    assert coverage(seed_page.find("div", "qc-text")) == expected_coverage(text, record)


def test_seed_mentions_and_cues_are_marked(
    seed: tuple[str, DocumentRecord], seed_page: Node
) -> None:
    _, record = seed
    body = seed_page.find("div", "qc-text")
    mentions = {m.text() for m in body.find_all("span", "qc-who")}
    cues = {m.text() for m in body.find_all("span", "qc-cue")}
    for card in record.cards:
        if card.speaker is not None:
            assert card.speaker.mention in mentions
        if card.cue is not None:
            assert card.cue.text in cues
    who = body.find("span", "qc-who")
    assert who.attrs["title"].startswith("Speaker: ")
    assert who.attrs["data-speaker"] in {e.name for e in record.speakers}


def test_seed_roster_counts(seed: tuple[str, DocumentRecord], seed_page: Node) -> None:
    _, record = seed
    table = seed_page.find("table", "qc-roster-table")
    rows = {row.attrs["data-speaker"]: row for row in table.find_all("tr") if row.attrs}
    assert list(rows) == [entry.name for entry in record.speakers]
    marks = primary_marks(seed_page).values()
    for entry in record.speakers:
        row = rows[entry.name]
        assert row.find("td", "qc-num").text() == str(entry.quotes)
        assert entry.type in row.text()
        assert (entry.title or "—") in row.text()
        swatch = row.find("span", "qc-swatch")
        colour = {c for c in swatch.classes if c.startswith("qc-s")} - {"qc-swatch"}
        said = [m for m in marks if m.attrs.get("data-speaker") == entry.name]
        assert len(said) == entry.quotes
        assert all(colour <= m.classes for m in said)
    assert sum(e.quotes for e in record.speakers) == sum(1 for c in record.cards if c.speaker)


def test_seed_cards_table(seed: tuple[str, DocumentRecord], seed_page: Node) -> None:
    _, record = seed
    table = seed_page.find("table", "qc-cards-table")
    rows = [r for r in table.find_all("tr") if "data-card" in r.attrs]
    assert [r.attrs["data-card"] for r in rows] == [c.id for c in record.cards]
    for row, card in zip(rows, record.cards, strict=True):
        assert card.quote.kind in row.text()
        assert card.method in row.text()
        link = row.find("a")
        target = link.attrs["href"].removeprefix("#")
        assert primary_marks(seed_page)[card.id].attrs["id"] == target


def test_page_is_self_contained_and_accessible(seed_page: Node) -> None:
    html_el = seed_page.find("html")
    assert html_el.attrs["lang"] == "en"
    assert seed_page.find("meta").attrs.get("charset") == "utf-8"
    assert seed_page.find("title").text() == "Seed"
    assert not seed_page.find_all("script")
    assert not seed_page.find_all("link")
    assert not [n for n in seed_page.iter() if "src" in n.attrs or "srcset" in n.attrs]
    css = "".join(s.text() for s in seed_page.find_all("style"))
    assert css.strip() == STYLESHEET.strip()
    for banned in ("url(", "@import", "@font-face", "http:", "https:"):
        assert banned not in css
    assert "@media print" in css
    assert ":focus-within" in css and ":hover" in css
    ids = [n.attrs["id"] for n in seed_page.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "ids are unique"
    for link in seed_page.find_all("a"):
        href = link.attrs["href"]
        assert href.startswith("#") and href[1:] in ids, href
    toc = seed_page.find("nav", "qc-toc")
    assert toc.attrs["aria-labelledby"] in ids
    assert len(toc.find_all("li")) == 1
    assert seed_page.find("main").attrs["id"] == "qc-main"
    # no information by colour alone: the kind is written in each card and in the table
    for mark in primary_marks(seed_page).values():
        assert mark.attrs["aria-describedby"] in ids


def test_render_document_alone(seed: tuple[str, DocumentRecord]) -> None:
    text, record = seed
    root = parse(render_document(text, record))
    article = root.children[0]
    assert isinstance(article, Node) and article.tag == "article"
    assert article.attrs["id"] == "doc-000_e952d6c5d011f049"
    assert article.find("div", "qc-text").text() == text


# --------------------------------------------------------------------------- by hand


def test_script_in_text_and_fields_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    text = f'{evil} & "<b>x</b>"\n“Hello {evil},” said Mallory <img src=x onerror=alert(2)>.'
    card = make_card(
        text,
        1,
        span(text, f"Hello {evil},"),
        speaker=span(text, "Mallory"),
        name=f"Mallory {evil}",
        title=evil,
        cue=span(text, "said"),
        doc_id=evil,
    )
    record = make_record([card], doc_id=evil, title=evil, path=evil, url=f"javascript:{evil}")
    page = render_page([(text, record)], title=evil)
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert 'href="javascript' not in page
    root = parse(page)
    assert not root.find_all("script") and not root.find_all("img") and not root.find_all("b")
    assert root.find("div", "qc-text").text() == text
    assert root.find("title").text() == evil
    assert evil in root.find("h2", None).text() or evil in root.find("article").text(skip=None)
    mark = next(iter(primary_marks(root).values()))
    assert mark.attrs["data-speaker"] == f"Mallory {evil}"
    tooltip = mark.find("span", "qc-card").text(skip=None)
    assert f"Mallory {evil}" in tooltip


def test_crossing_spans_stay_well_formed() -> None:
    text = (
        "Alpha said “one two three” and beta replied here.\n\nGamma “four five six” told Delta so."
    )
    a = make_card(
        text,
        1,
        span(text, "one two three"),
        speaker=span(text, "Alpha said"),  # crosses the cue
        cue=span(text, "said “one"),  # crosses the mention and the quote
    )
    b = make_card(
        text,
        2,
        span(text, "two three” and beta"),  # crosses quote 1: split
        kind="partial",
        speaker=span(text, "three” and"),  # crosses quote 1's end
        name="Beta",
        addressee=span(text, "here.\n\nGamma"),  # crosses paragraphs
    )
    c = make_card(
        text,
        3,
        span(text, "four five six"),
        kind="indirect",
        speaker=span(text, "Gamma “four"),
        cue=span(text, "six” told"),
        addressee=span(text, "Delta"),
    )
    d = make_card(text, 4, span(text, "five"), kind="scare")  # nested in quote 3, no speaker
    record = make_record([a, b, c, d])
    root = parse(render_page([(text, record)]))
    body = root.find("div", "qc-text")
    assert body.text() == text
    assert coverage(body) == expected_coverage(text, record)
    marks = primary_marks(root)
    assert set(marks) == {"q_0001", "q_0002", "q_0003", "q_0004"}
    for card in record.cards:
        assert quote_text(marks[card.id], root) == card.quote.text
    parts = [m for m in root.find_all("mark", "qc-q") if "qc-part" in m.classes]
    assert parts, "a crossing quote is split into fragments"
    assert all("tabindex" not in m.attrs and "id" not in m.attrs for m in parts)
    # a quote is only split by another quote: mentions and cues crossing it are split instead
    assert {m.attrs["data-card"] for m in parts} <= {"q_0001", "q_0002"}
    assert len([m for m in body.find_all("span", "qc-who") if "Gamma" in m.text()]) == 1
    # the unattributed scare quote is grey and counted apart from the roster
    assert "qc-s-none" in marks["q_0004"].classes
    assert "1 quote without a speaker" in root.find("aside", "qc-roster").text()
    # the quote nested in another one keeps both highlights
    assert any(
        a.tag == "mark" and a.attrs.get("data-card") == "q_0003"
        for a in marks["q_0004"].ancestors()
    )


def enclosing_quotes(node: Node) -> list[str]:
    """The data-card of every quote element around a node, innermost first."""
    return [
        a.attrs["data-card"] for a in node.ancestors() if a.tag == "mark" and "qc-q" in a.classes
    ]


def tooltip_of(mark: Node) -> str:
    cards = [c for c in mark.children if isinstance(c, Node) and "qc-card" in c.classes]
    assert len(cards) == 1
    return cards[0].text(skip=None)


@pytest.mark.parametrize("overhang", [False, True])
def test_partial_inside_indirect_is_nested_whole(overhang: bool) -> None:
    """Mixed speech: the indirect clause is the outer element, the quoted fragment in it is one
    whole mark, even when the fragment ends on the full stop just after the clause."""
    text = 'He said the US should be "put to different kinds of use." Then he left.'
    clause = span(text, 'the US should be "put to different kinds of use')
    fragment = span(text, "put to different kinds of use" + ("." if overhang else ""))
    outer = make_card(
        text, 1, clause, kind="indirect", speaker=span(text, "He"), name="Trump", cue=(3, 7)
    )
    inner = make_card(
        text,
        2,
        fragment,
        kind="partial",
        speaker=span(text, "He"),
        name="Trump",
        cue=(3, 7),
        part_of=outer.id,
    )
    record = make_record([outer, inner])
    root = parse(render_page([(text, record)]))
    body = root.find("div", "qc-text")
    assert body.text() == text
    assert coverage(body) == expected_coverage(text, record)
    assert not [m for m in body.find_all("mark") if "qc-part" in m.classes], "nothing is split"
    marks = primary_marks(root)
    indirect, partial = marks[outer.id], marks[inner.id]
    # the partial quote: whole, inside the indirect element
    assert partial.text() == inner.quote.text
    assert enclosing_quotes(partial) == [outer.id]
    assert partial.attrs["data-part-of"] == outer.id
    # the indirect clause: its own style, holds the fragment (and the full stop it ends on)
    assert {"qc-k-indirect", "qc-s0"} <= indirect.classes
    assert {"qc-k-partial", "qc-s0"} <= partial.classes
    assert indirect.text() == text[slice(*written_span(outer, record))]
    assert indirect.text() == outer.quote.text + ("." if overhang else "")
    assert not enclosing_quotes(indirect)
    # both focusable, the outer first; each card says how they relate
    focusable = [m.attrs["data-card"] for m in body.iter() if "tabindex" in m.attrs]
    assert focusable == [outer.id, inner.id]
    assert "Indirect speech" in tooltip_of(indirect) and "Includes#2" in tooltip_of(indirect)
    assert "Partial quote" in tooltip_of(partial) and "Part of#1" in tooltip_of(partial)
    # the outer card is the last child of its element, after the nested quote
    last = indirect.children[-1]
    assert isinstance(last, Node) and "qc-card" in last.classes
    # in the table: reported speech has no quotation marks, the fragment names its clause
    cells = root.find("table", "qc-cards-table").find_all("td", "qc-quote-cell")
    assert cells[0].text() == outer.quote.text
    assert cells[1].text().startswith(f"“{inner.quote.text}”") and "part of #1" in cells[1].text()


def test_indirect_holds_another_cards_speaker_cue_and_quote() -> None:
    text = "Trump said Zelenskyy had told him that “we need more help” before the talks."
    outer = make_card(
        text,
        1,
        span(text, "Zelenskyy had told him that “we need more help” before the talks"),
        kind="indirect",
        speaker=span(text, "Trump"),
        cue=span(text, "said"),
    )
    inner = make_card(
        text,
        2,
        span(text, "we need more help"),
        speaker=span(text, "Zelenskyy"),
        cue=span(text, "told"),
        addressee=span(text, "him"),
    )
    record = make_record([outer, inner])
    root = parse(render_document(text, record))
    body = root.find("div", "qc-text")
    assert body.text() == text
    assert coverage(body) == expected_coverage(text, record)
    assert not [m for m in body.iter() if "qc-part" in m.classes], "nothing is split"
    marks = primary_marks(root)
    assert enclosing_quotes(marks[inner.id]) == [outer.id]
    assert marks[inner.id].text() == inner.quote.text
    assert marks[outer.id].text() == outer.quote.text
    # the other card's speaker, cue and addressee are written whole inside the clause
    for cls, words in (("qc-who", "Zelenskyy"), ("qc-cue", "told"), ("qc-to", "him")):
        found = [n for n in body.find_all("span", cls) if n.text() == words]
        assert len(found) == 1, (cls, words)
        assert enclosing_quotes(found[0]) == [outer.id]
    # the outer card's own speaker and cue stay outside it
    trump = next(n for n in body.find_all("span", "qc-who") if n.text() == "Trump")
    assert not enclosing_quotes(trump)
    # each colour is its speaker's
    palette = speaker_palette([record])
    assert palette_class("Trump", palette) in marks[outer.id].classes
    assert palette_class("Zelenskyy", palette) in marks[inner.id].classes


def test_quote_crossing_an_indirect_clause_is_split_and_keeps_its_longest_part() -> None:
    """An indirect clause is never split by a quote crossing it (no part_of link): the quote is,
    and its longest fragment carries the id, the focus and the card."""
    text = "Ann said that the plan “would fail badly” and left."
    clause = make_card(
        text, 1, span(text, "the plan “would fail"), kind="indirect", speaker=span(text, "Ann")
    )
    quote = make_card(text, 2, span(text, "would fail badly"), speaker=span(text, "Ann"))
    record = make_record([clause, quote])
    root = parse(render_document(text, record))
    body = root.find("div", "qc-text")
    assert body.text() == text
    assert coverage(body) == expected_coverage(text, record)
    marks = primary_marks(root)
    fragments = [m for m in body.find_all("mark", "qc-q") if m.attrs["data-card"] == quote.id]
    assert [m.text() for m in fragments] == ["would fail", " badly"]
    assert marks[quote.id] is fragments[0] and "qc-part" in fragments[1].classes
    assert enclosing_quotes(fragments[0]) == [clause.id]
    assert [m.attrs["data-card"] for m in body.find_all("mark", "qc-q")].count(clause.id) == 1
    assert "Direct quote" in tooltip_of(marks[quote.id])


def test_indirect_speech_is_labelled_in_text() -> None:
    """Not by colour alone: the underline style, and the word "indirect" written after the
    clause by CSS, on screen, in print and with forced colours."""
    assert re.search(
        r"mark\.qc-k-indirect\[data-ref\]::after\{content:attr\(data-ref\)[^}]*"
        r"indirect",
        STYLESHEET,
    )
    assert '"[" attr(data-ref) " indirect]"' in STYLESHEET
    rule = re.search(r"mark\.qc-k-indirect,\.qc-sample\.qc-k-indirect\{([^}]*)\}", STYLESHEET)
    assert rule is not None
    assert "var(--qc-soft)" in rule.group(1) and "dotted" in rule.group(1)


def test_carriage_returns_and_blank_lines_survive() -> None:
    text = "  \r\nFirst “a b” said X.\r\n\r\n\t\nSecond\u2028third “c”\n"
    card = make_card(text, 1, span(text, "a b"), speaker=span(text, "X"))
    card2 = make_card(text, 2, span(text, "c"), kind="scare")
    record = make_record([card, card2])
    root = parse(render_document(text, record))
    body = root.find("div", "qc-text")
    assert body.text() == text
    assert len(body.find_all("p")) == len(paragraphs(text)) == 3
    assert coverage(body) == expected_coverage(text, record)


def test_palette_is_shared_across_documents() -> None:
    t1 = "“Yes,” said Ann. “No,” said Bob."
    t2 = "“Maybe,” said Bob."
    r1 = make_record(
        [
            make_card(t1, 1, span(t1, "Yes,"), speaker=span(t1, "Ann")),
            make_card(t1, 2, span(t1, "No,"), speaker=span(t1, "Bob")),
        ],
        doc_id="one",
    )
    r2 = make_record([make_card(t2, 3, span(t2, "Maybe,"), speaker=span(t2, "Bob"))], "two")
    palette = speaker_palette([r1, r2])
    assert palette == {"Ann": 0, "Bob": 1}
    root = parse(render_page([(t1, r1), (t2, r2)]))
    bob = [m for m in primary_marks(root).values() if m.attrs.get("data-speaker") == "Bob"]
    assert len(bob) == 2
    assert all("qc-s1" in m.classes for m in bob)
    articles = root.find_all("article")
    assert [a.attrs["id"] for a in articles] == ["doc-1-one", "doc-2-two"]
    assert [li.find("a").attrs["href"] for li in root.find("nav").find_all("li")] == [
        "#doc-1-one",
        "#doc-2-two",
    ]
    # alone, a document numbers its own speakers from 0
    alone = parse(render_document(t2, r2))
    assert "qc-s0" in next(iter(primary_marks(alone).values())).classes


def test_empty_document_and_page() -> None:
    record = make_record([], doc_id="empty")
    root = parse(render_page([("", record)]))
    assert root.find("div", "qc-text").text() == ""
    assert "No quotes found." in root.find("section", "qc-cards").text()
    assert "No attributed speaker." in root.find("aside").text()
    parse(render_page([]))


def test_record_of_another_text_is_refused() -> None:
    text = "“Yes,” said Ann."
    record = make_record([make_card(text, 1, span(text, "Yes,"), speaker=span(text, "Ann"))])
    with pytest.raises(ValueError, match="not of this text"):
        render_document("“No!,” said Ann.", record)
    with pytest.raises(ValueError, match="outside the text"):
        render_document("“Yes,”", record)


def test_indirect_widens_only_to_parts_overlapping_the_clause() -> None:
    """Two parts of one clause: the one overlapping the clause widens it; the one overlapping
    only that widening does not (hypothesis found the order-dependent reading)."""
    text = "<<<"
    outer = make_card(text, 1, (0, 1), kind="indirect")
    first = make_card(text, 0, (0, 2), kind="partial", part_of=outer.id)
    second = make_card(text, 2, (1, 3), kind="partial", part_of=outer.id)
    record = make_record([first, outer, second])
    assert written_span(outer, record) == (0, 2)
    body = parse(render_document(text, record)).find("div", "qc-text")
    assert body.text() == text
    assert coverage(body) == expected_coverage(text, record)


# --------------------------------------------------------------------------- any spans

_ALPHABET = "ab “”<&>\n\r"


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, DocumentRecord]:
    text = draw(st.text(alphabet=_ALPHABET, max_size=40))
    n = len(text)
    offsets = st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda p: (min(p), max(p)))
    cards = []
    for number in range(draw(st.integers(0, 5))):
        cards.append(
            make_card(
                text,
                number,
                draw(offsets),
                kind=draw(st.sampled_from(["direct", "partial", "indirect", "scare"])),
                speaker=draw(st.none() | offsets),
                name=draw(st.sampled_from(["Ann", "Bob", "<Cy>"])),
                cue=draw(st.none() | offsets),
                addressee=draw(st.none() | offsets),
            )
        )
    # mixed speech: a partial quote may be part of an indirect one, wherever the spans are
    indirect = [c.id for c in cards if c.quote.kind == "indirect"]
    for i, card in enumerate(cards):
        if card.quote.kind == "partial" and indirect:
            outer = draw(st.none() | st.sampled_from(indirect))
            cards[i] = card.model_copy(update={"part_of": outer})
    return text, make_record(cards)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_spans_give_well_formed_markup_and_the_same_text(
    doc: tuple[str, DocumentRecord],
) -> None:
    text, record = doc
    root = parse(render_document(text, record))
    body = root.find("div", "qc-text")
    assert body.text() == text
    assert coverage(body) == expected_coverage(text, record)
    marks = primary_marks(root)
    for card in record.cards:
        if card.quote.end > card.quote.start and paragraphs(text):
            start, end = written_span(card, record)
            inside = any(s < end and start < e for s, e in paragraphs(text))
            assert (card.id in marks) == inside
    assert not re.search(
        r"<(?!/?(p|mark|span|strong|div|article|header|h2|h3|aside|table|"
        r"thead|tbody|tr|th|td|section|a)\b)",
        render_document(text, record),
    )


# --------------------------------------------------------------------------- the templates

TEMPLATES = resources.files("quotes") / "templates"
#: In every field a reader supplies: markup, both quotes (to leave an attribute), an ampersand
#: and a carriage return (which a parser would turn into a line feed if written raw).
HOSTILE = "<script>alert(1)</script>\" onmouseover=\"alert(2)' x='&amp;\r"


def test_every_template_value_is_escaped() -> None:
    """Each field of the record, the text and the page title, all hostile: the page has no
    element, attribute or entity they did not ask for, and each comes back whole where it is
    shown (in text and in attributes)."""
    text = f"{HOSTILE}\n“{HOSTILE} said,” told {HOSTILE} {HOSTILE}."
    quote = (text.index("“") + 1, text.index(" said,”"))
    mention = span(text, HOSTILE, 2)
    cue = span(text, "told")
    card = make_card(text, 1, quote, speaker=mention, name=HOSTILE, title=HOSTILE, cue=cue)
    card = card.model_copy(
        update={
            "id": HOSTILE,
            "cue": card.cue.model_copy(update={"lemma": HOSTILE}) if card.cue else None,
            "addressee": Addressee(
                name=HOSTILE, mention=HOSTILE, start=mention[1] + 1, end=len(text) - 1
            ),
        }
    )
    url = f"https://example.org/?q={HOSTILE}"
    record = make_record([card], doc_id=HOSTILE, title=HOSTILE, path=HOSTILE, date=HOSTILE, url=url)
    page = render_page([(text, record)], title=HOSTILE)
    assert "<script" not in page and "\r" not in page and "&amp;amp;" in page
    root = parse(page)
    assert not root.find_all("script")
    assert not [n for n in root.iter() for name in n.attrs if name.startswith(("on", "x"))]
    assert root.find("title").text() == HOSTILE
    assert root.find("h1").text() == HOSTILE
    assert root.find("article").attrs["data-doc-id"] == HOSTILE
    assert root.find("nav").find("a").text() == HOSTILE
    assert root.find("header", "qc-doc-head").find("h2").text() == HOSTILE
    meta = root.find("p", "qc-doc-meta")
    assert meta.find("a").attrs["href"] == url and meta.find("a").text() == url
    assert meta.text().count(HOSTILE) == 4  # id, file, date, and in the url
    body = root.find("div", "qc-text")
    assert body.text() == text
    mark = primary_marks(root)[HOSTILE]
    assert mark.attrs["data-speaker"] == HOSTILE
    who = body.find("span", "qc-who")
    assert who.attrs["data-speaker"] == HOSTILE
    assert who.attrs["title"] == f"Speaker: {HOSTILE}, {HOSTILE}"
    assert body.find("span", "qc-cue").attrs["title"] == f"Reporting cue: {HOSTILE}"
    assert body.find("span", "qc-to").attrs["title"] == f"Addressee: {HOSTILE}"
    assert tooltip_of(mark).count(HOSTILE) == 4  # name, mention, title, addressee; and the lemma:
    assert f"({HOSTILE})" in tooltip_of(mark)
    roster = root.find("table", "qc-roster-table")
    assert [r.attrs.get("data-speaker") for r in roster.find_all("tr") if r.attrs] == [HOSTILE]
    row = next(r for r in root.find("table", "qc-cards-table").find_all("tr") if r.attrs)
    assert row.attrs["data-card"] == HOSTILE
    assert row.find("td", "qc-quote-cell").text() == f"“{card.quote.text}”"


def test_a_link_only_for_a_web_url() -> None:
    record = make_record([], url='javascript:alert("x")')
    root = parse(render_document("", record))
    assert not root.find_all("a")
    assert 'javascript:alert("x")' in root.find("p", "qc-doc-meta").text()


def test_templates_trust_no_value() -> None:
    """Nothing in a template is marked safe: every value goes through the autoescape."""
    names = sorted(f.name for f in TEMPLATES.iterdir())
    assert names == ["document.html.j2", "page.css", "page.html.j2", "palette.css.j2"]
    for name in names:
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        for trusting in ("|safe", "| safe", "autoescape false", "Markup"):
            assert trusting not in source, (name, trusting)


def test_stylesheet_is_the_package_file_and_the_palette() -> None:
    css = (TEMPLATES / "page.css").read_text(encoding="utf-8")
    assert STYLESHEET.startswith(css)
    colours = STYLESHEET[len(css) :].splitlines()
    assert colours == [
        f".qc-s{i}{{--qc-bg:{bg};--qc-soft:{soft};--qc-ink:{ink}}}"
        for i, (bg, soft, ink) in enumerate(PALETTE)
    ] + [".qc-s-none{--qc-bg:#e3e6ea;--qc-soft:#f1f3f5;--qc-ink:#4a5360}"]
    style = parse(render_page([])).find("style").text()
    assert style == STYLESHEET
    assert "</style" not in STYLESHEET.lower()


def test_templates_are_package_data() -> None:
    """A wheel holds every file of quotes/templates (setuptools package-data)."""
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["quotes"]
    for item in TEMPLATES.iterdir():
        assert any(fnmatch(f"templates/{item.name}", p) for p in patterns), item.name


@pytest.mark.parametrize(("count", "words"), [(0, "0 quotes"), (1, "1 quote"), (2, "2 quotes")])
def test_plural(count: int, words: str) -> None:
    assert plural(count, "quote") == words


def test_counts_and_spaces_in_the_page() -> None:
    """The spaces the templates write between words and tags (their layout is not written)."""
    text = "“Yes,” said Ann to Bob."
    card = make_card(text, 1, span(text, "Yes,"), speaker=span(text, "Ann"), name="Ann Lee")
    card2 = make_card(text, 2, span(text, "Bob"), kind="scare")
    record = make_record([card, card2], doc_id="d", path="a.txt", date="2024-01-02")
    root = parse(render_page([(text, record)], title="T"))
    assert root.find("header", "qc-page-head").find("p").text() == (
        "1 document · 2 quotes · 1 speaker"
    )
    assert root.find("nav").find("li").text() == "“Yes,” said Ann to Bob. 2 quotes · 1 speaker"
    meta = [s.text() for s in root.find("p", "qc-doc-meta").children if isinstance(s, Node)]
    assert meta == ["id d", "file a.txt", "date 2024-01-02", "2 quotes · 1 speaker"]
    assert root.find("p", "qc-unattributed").text() == "1 quote without a speaker"
    assert "said it was “fine” mixed speech" in root.find("section", "qc-legend").text()
    key = root.find("section", "qc-legend").find("p").text()
    assert key.startswith("Each speaker has a colour; the underline tells the kind. Indirect")
    assert "  " not in key and "\n" not in key
    tooltip = tooltip_of(primary_marks(root)[card.id])
    assert "SpeakerAnn Lee as “Ann”" in tooltip
    assert "Cue" not in tooltip and "Methodcue_adjacent reporting verb in the sentence" in tooltip
    assert tooltip.endswith("Confidence0.90")
    cells = [td.text() for td in root.find("table", "qc-cards-table").find_all("td")]
    assert cells[:4] == ["1", "direct", "Ann Leeas “Ann”", "“Yes,”"]
