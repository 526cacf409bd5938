"""Tests for quotes.evaluate: hand-written texts whose right numbers are worked out by hand.

All sentences here (and in tests/data/eval/) are invented for the tests.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quotes.cli import cli
from quotes.errors import InputError, QuotesError
from quotes.evaluate import (
    CONTEXT_CHARS,
    EvalReport,
    GoldDoc,
    MethodStats,
    Ratio,
    Scores,
    evaluate,
    format_report,
    load_gold,
    report_to_json,
    trim_span,
)
from quotes.models import FactCard

DATA = Path(__file__).resolve().parent / "data" / "eval"
SHARED = Path(__file__).resolve().parents[2] / "shared"


# --------------------------------------------------------------------------- builders


def _find(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def gq(
    text: str,
    sub: str,
    kind: str = "direct",
    *,
    speaker: str | None = None,
    speaker_sub: str | None = None,
    speaker_nth: int = 0,
    canonical: bool = False,
    addressee: str | None = None,
    aliases: list[str] | None = None,
    nth: int = 0,
) -> dict[str, Any]:
    """A gold quote dict; mention gold gets the speaker span of ``speaker_sub``."""
    start, end = _find(text, sub, nth)
    q: dict[str, Any] = {
        "start": start,
        "end": end,
        "text": sub,
        "kind": kind,
        "speaker": speaker,
        "speaker_is_canonical": canonical,
        "speaker_start": None,
        "speaker_end": None,
        "addressee": addressee,
    }
    if speaker_sub is not None:
        q["speaker_start"], q["speaker_end"] = _find(text, speaker_sub, speaker_nth)
    if aliases is not None:
        q["speaker_aliases"] = aliases
    return q


def card(
    doc_id: str,
    text: str,
    sub: str,
    kind: str = "direct",
    *,
    name: str | None = None,
    mention: str | None = None,
    mention_nth: int = 0,
    title: str | None = None,
    method: str = "cue_adjacent",
    addressee: str | None = None,
    nth: int = 0,
) -> dict[str, Any]:
    """A predicted card dict, built through FactCard so it has the real shape."""
    start, end = _find(text, sub, nth)
    speaker = None
    if name is not None:
        m = mention if mention is not None else name
        s, e = _find(text, m, mention_nth) if m in text else (0, 0)
        speaker = {"name": name, "mention": m, "start": s, "end": e, "type": "person"}
        if title is not None:
            speaker["title"] = title
    addr = None
    if addressee is not None:
        s, e = _find(text, addressee) if addressee in text else (0, 0)
        addr = {"name": addressee, "mention": addressee, "start": s, "end": e}
    fc = FactCard.model_validate(
        {
            "id": f"{doc_id}:{start}-{end}",
            "doc_id": doc_id,
            "quote": {"text": sub, "start": start, "end": end, "kind": kind},
            "speaker": speaker,
            "cue": None,
            "addressee": addr,
            "method": method,
            "confidence": 0.9,
            "paragraph": 0,
            "sentence": "",
        }
    )
    return fc.model_dump(mode="json")


def doc(doc_id: str, text: str, quotes: list[dict[str, Any]]) -> GoldDoc:
    for q in quotes:
        assert text[q["start"] : q["end"]] == q["text"]
    return GoldDoc(id=doc_id, text=text, quotes=quotes)


def errs(report: EvalReport) -> list[tuple[str, str, str]]:
    return [(e["type"], e["kind"], e["text"]) for e in report.errors]


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "start", "end", "trimmed"),
    [
        ("“Hello, world.”", 10, 25, (11, 23)),
        (" «Yes»… ", 0, 8, (2, 5)),
        ("‚ok‘ —", 3, 9, (4, 6)),
        ("'\"…", 5, 8, (5, 5)),  # all trimmed: the empty span at the start
        ("plain", 0, 5, (0, 5)),
    ],
)
def test_trim_span_strips_marks_and_punctuation(
    text: str, start: int, end: int, trimmed: tuple[int, int]
) -> None:
    assert trim_span(text, start, end) == trimmed


def test_scores_and_ratios_zero_denominators() -> None:
    s = Scores(pred_correct=0, n_pred=0, gold_found=0, n_gold=0)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    assert Ratio(0, 0).value == 0.0
    assert MethodStats(n=0, right=0).precision == 0.0
    s = Scores(pred_correct=1, n_pred=4, gold_found=1, n_gold=2)
    assert (s.precision, s.recall) == (0.25, 0.5)
    assert s.f1 == pytest.approx(1 / 3)


# --------------------------------------------------------------------------- direct spans


def test_exact_vs_lenient() -> None:
    t = (
        'Mara Lind said: "The bridge will open in May." '
        'Later she added, "We are proud of the crews who built it."'
    )
    gold = [
        doc(
            "d",
            t,
            [
                gq(t, "The bridge will open in May.", speaker="Mara Lind", speaker_sub="Mara Lind"),
                gq(t, "We are proud of the crews who built it.", speaker="she", speaker_sub="she"),
            ],
        )
    ]
    preds = {
        "d": [
            # exact after trimming the final period
            card("d", t, "The bridge will open in May", name="Mara Lind"),
            # 25 of 38 characters: lenient, not exact
            card("d", t, "We are proud of the crews", name="Mara Lind", mention="she"),
            card("d", t, "Later she added", method="none"),
        ]
    }
    r = evaluate(gold, preds)
    assert r.direct_exact == Scores(1, 3, 1, 2)
    assert r.direct_exact.precision == pytest.approx(1 / 3)
    assert r.direct_exact.recall == 0.5
    assert r.direct_exact.f1 == pytest.approx(0.4)
    assert r.direct_lenient == Scores(2, 3, 2, 2)
    assert r.direct_lenient.f1 == pytest.approx(0.8)
    assert r.speaker_accuracy == Ratio(2, 2)
    assert r.direct_pair == Scores(2, 3, 2, 2)
    assert r.unknown_speaker_rate == Ratio(1, 3)
    assert errs(r) == [
        ("fp", "direct", "Later she added"),  # errors are in text order
        ("boundary", "direct", "We are proud of the crews who built it."),
    ]


@pytest.mark.parametrize(
    ("sub", "matched"),
    [
        ("Run ho", 1),  # 6 / 12 = 0.5: a match
        ("Run h", 0),  # 5 / 12: no match
    ],
)
def test_lenient_threshold_is_half_of_union(sub: str, matched: int) -> None:
    t = 'Coach Ray Dunn shouted "Run home now" twice.'
    q = gq(t, "Run home now", speaker="Coach Ray Dunn", speaker_sub="Coach Ray Dunn")
    r = evaluate([doc("a", t, [q])], {"a": [card("a", t, sub, name="Ray Dunn")]})
    assert r.direct_exact == Scores(0, 1, 0, 1)
    assert r.direct_lenient == Scores(matched, 1, matched, 1)
    assert r.direct_pair == Scores(matched, 1, matched, 1)


def test_scare_span_prediction_is_ignored() -> None:
    t = "The ad promised a “miracle cure” for sore feet; the regulator said: “This claim is false.”"
    gold = [
        doc(
            "d",
            t,
            [
                gq(t, "miracle cure", "scare"),
                gq(t, "This claim is false.", speaker="the regulator", speaker_sub="the regulator"),
            ],
        )
    ]
    preds = {
        "d": [
            card("d", t, "“miracle cure”", method="none"),  # equals the scare span once trimmed
            card("d", t, "miracle", method="none"),  # not equal: a false positive
            card("d", t, "This claim is false.", name="regulator", mention="the regulator"),
        ]
    }
    r = evaluate(gold, preds)
    assert r.n_ignored_scare == 1
    assert r.direct_exact == Scores(1, 2, 1, 1)
    assert r.direct_lenient == Scores(1, 2, 1, 1)
    assert r.direct_pair == Scores(1, 2, 1, 1)
    assert r.unknown_speaker_rate == Ratio(1, 2)
    assert r.per_method == {"cue_adjacent": MethodStats(1, 1), "none": MethodStats(1, 0)}
    assert r.gold_counts == {"direct": 1, "scare": 1}
    assert r.pred_counts == {"direct": 3}
    assert errs(r) == [("fp", "direct", "miracle")]


def test_greedy_matching_is_one_to_one_best_overlap_first() -> None:
    t = 'Principal Omar Haddad said: "We will rebuild the school this summer."'
    g = gq(t, "We will rebuild the school this summer.", speaker="Omar Haddad", speaker_sub="Omar")
    gold = [doc("d", t, [g])]
    preds = {
        "d": [
            # listed first, overlap 26/38: loses to the exact one
            card("d", t, "We will rebuild the school", name="Omar Haddad"),
            card("d", t, "We will rebuild the school this summer", name="Omar Haddad"),
        ]
    }
    r = evaluate(gold, preds)
    assert r.direct_exact == Scores(1, 2, 1, 1)
    assert r.direct_lenient == Scores(1, 2, 1, 1)
    assert r.direct_lenient.precision == 0.5
    assert r.direct_lenient.recall == 1.0
    assert r.direct_pair == Scores(1, 2, 1, 1)
    assert errs(r) == [("fp", "direct", "We will rebuild the school")]
    assert r.errors[0]["pred_span"] == list(_find(t, "We will rebuild the school"))
    assert r.errors[0]["gold_span"] is None


# --------------------------------------------------------------------------- speakers


def _mention_case() -> tuple[list[GoldDoc], dict[str, list[dict[str, Any]]], str]:
    t = (
        'Ana Ruiz, the harbor chief, said: "Ships will dock at night." '
        'She added: "Fees stay the same." Her deputy noted: "Crews are ready." '
        'Officials said: "Nothing changes."'
    )
    gold = [
        doc(
            "d",
            t,
            [
                gq(
                    t,
                    "Ships will dock at night.",
                    speaker="Ana Ruiz, the harbor chief,",
                    speaker_sub="Ana Ruiz, the harbor chief,",
                ),
                gq(t, "Fees stay the same.", speaker="She", speaker_sub="She"),
                gq(t, "Crews are ready.", speaker="Her deputy", speaker_sub="Her deputy"),
                gq(t, "Nothing changes."),  # an attribution without a source: no speaker
            ],
        )
    ]
    preds = {
        "d": [
            card("d", t, "Ships will dock at night.", name="Ana Ruiz"),  # right
            card(  # mention span far from "She": wrong
                "d", t, "Fees stay the same.", name="Ana Ruiz", method="nearest_speaker"
            ),
            card("d", t, "Crews are ready.", method="none"),  # no speaker: wrong
            card("d", t, "Nothing changes.", name="Officials"),  # cannot be judged
            card("d", t, "Officials said", method="none"),  # false positive, no speaker
        ]
    }
    return gold, preds, t


def test_mention_speakers_wrong_missing_and_unknown_rate() -> None:
    gold, preds, t = _mention_case()
    r = evaluate(gold, preds)
    assert r.direct_lenient == Scores(4, 5, 4, 4)
    assert r.speaker_accuracy == Ratio(1, 3)
    assert r.speaker_accuracy_strict is None  # no canonical gold
    # precision over 5 cards minus the one matched to speakerless gold; recall over 3 gold
    assert r.direct_pair == Scores(1, 4, 1, 3)
    assert r.direct_pair.f1 == pytest.approx(2 / 7)
    assert r.unknown_speaker_rate == Ratio(2, 5)
    assert r.unknown_speaker_rate.value == 0.4
    assert errs(r) == [
        ("wrong_speaker", "direct", "Fees stay the same."),
        ("wrong_speaker", "direct", "Crews are ready."),
        ("fp", "direct", "Officials said"),
    ]
    first = r.errors[0]
    assert first["gold_speaker"] == "She"
    assert first["gold_speaker_span"] == list(_find(t, "She"))
    assert first["pred_speaker"] == "Ana Ruiz"
    assert first["pred_speaker_span"] == list(_find(t, "Ana Ruiz"))
    assert first["method"] == "nearest_speaker"
    assert r.errors[1]["pred_speaker"] is None
    assert r.errors[1]["method"] == "none"


def test_precision_per_method() -> None:
    gold, preds, _ = _mention_case()
    r = evaluate(gold, preds)
    assert r.per_method == {
        "cue_adjacent": MethodStats(n=1, right=1),  # the speakerless-gold card is left out
        "nearest_speaker": MethodStats(n=1, right=0),
        "none": MethodStats(n=2, right=0),
    }
    assert r.per_method["cue_adjacent"].precision == 1.0
    assert sum(m.n for m in r.per_method.values()) == r.direct_pair.n_pred
    assert sum(m.right for m in r.per_method.values()) == r.direct_pair.pred_correct


def test_canonical_speakers_last_name_aliases_and_strict() -> None:
    t = (
        'Dr. Dana Whitfield said: "Test early." Whitfield added: "Test often." '
        'A man said: "Stay calm." NTA staff said: "Trains run late."'
    )
    dana = "Dana Whitfield"
    gold = [
        doc(
            "d",
            t,
            [
                gq(t, "Test early.", speaker=dana, canonical=True),
                gq(t, "Test often.", speaker=dana, canonical=True),
                gq(t, "Stay calm.", speaker=dana, canonical=True),
                gq(
                    t,
                    "Trains run late.",
                    speaker="Northbridge Transit Authority",
                    canonical=True,
                    aliases=["NTA"],
                ),
            ],
        )
    ]
    preds = {
        "d": [
            # titles ignored: strict right
            card("d", t, "Test early.", name="Dr. Dana Whitfield", title="Dr."),
            card("d", t, "Test often.", name="whitfield"),  # last name, any case: right
            card("d", t, "Stay calm.", name="Dana Moss"),  # wrong
            card("d", t, "Trains run late.", name="NTA"),  # right through the alias
        ]
    }
    r = evaluate(gold, preds)
    assert r.speaker_accuracy == Ratio(3, 4)
    assert r.speaker_accuracy_strict == Ratio(1, 4)
    assert r.direct_pair == Scores(3, 4, 3, 4)
    assert errs(r) == [("wrong_speaker", "direct", "Stay calm.")]


@pytest.mark.parametrize(
    ("gold_name", "aliases", "name", "title", "lenient", "strict"),
    [
        ("J.R. Pickett Jr.", None, "J.R. Pickett Jr.", None, 1, 1),
        ("J.R. Pickett Jr.", None, "J.R. Pickett", None, 1, 0),  # the suffix is in the name
        ("Wendell Pike Sr.", None, "Pike", None, 1, 0),
        ("Ministry of Health", None, "Ministry of Health", None, 1, 1),
        ("Ferrisvale General Hospital", None, "Ferrisvale Hospital", None, 1, 0),
        # the full form is the canonical name: an alias is right, but not strictly
        ("Brisk Valley Water plc", ["Brisk Valley Water"], "Brisk Valley Water", None, 1, 0),
        ("Brisk Valley Water plc", ["Brisk Valley Water"], "Brisk Valley Water plc", None, 1, 1),
        ("Dana Whitfield", None, "Dr. Dana Whitfield", "Dr.", 1, 1),
        ("Dana Whitfield", None, "Mayor Dana Whitfield", None, 1, 1),  # a leading title goes
        ("Rosalind Pemberton", None, "Rosalind Pemberton KC", "KC", 1, 1),  # the card's title
        ("Bram van Hoeve", None, "Van Hoeve", None, 1, 0),
        ("Bram van Hoeve", None, "Bram Van Hoeve", None, 1, 1),  # case does not count
    ],
)
def test_strict_speaker_is_the_canonical_name(
    gold_name: str,
    aliases: list[str] | None,
    name: str,
    title: str | None,
    lenient: int,
    strict: int,
) -> None:
    t = f'{gold_name} said: "We stand by it."'
    q = gq(t, "We stand by it.", speaker=gold_name, canonical=True, aliases=aliases)
    r = evaluate(
        [doc("d", t, [q])], {"d": [card("d", t, "We stand by it.", name=name, title=title)]}
    )
    assert r.speaker_accuracy == Ratio(lenient, 1)
    assert r.speaker_accuracy_strict == Ratio(strict, 1)


_ABSENT = object()  # a key left out of a gold quote or a card


def speaker_fields(c: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The card with fields added to its speaker (``named``, ``pronoun``: not in FactCard yet)."""
    assert c["speaker"] is not None
    extra = {k: v for k, v in fields.items() if v is not _ABSENT}
    return {**c, "speaker": {**c["speaker"], **extra}}


_ADA = 'Ada Quist said: "Prices will rise." A clerk said: "Prices stay."'


@pytest.mark.parametrize(
    ("gold_pronoun", "name", "sub", "pronoun", "accuracy", "given_gold_none"),
    [
        ("she", "Ada Quist", "Prices will rise.", "she", Ratio(1, 1), None),
        ("she", "Quist", "Prices will rise.", "he", Ratio(0, 1), None),
        ("she", "Ada Quist", "Prices will rise.", _ABSENT, Ratio(0, 1), None),  # missing: null
        ("they", "Ada Quist", "Prices will rise.", "they", Ratio(1, 1), None),
        # the speaker is wrong: not judged, but the gold defines the metric
        ("she", "Clerk", "Prices will rise.", "she", Ratio(0, 0), None),
        # not matched: not judged
        ("she", "Ada Quist", "Prices stay.", "she", Ratio(0, 0), None),
        # gold null (never called by a pronoun): a pronoun given counts
        (None, "Ada Quist", "Prices will rise.", "she", None, Ratio(1, 1)),
        (None, "Ada Quist", "Prices will rise.", None, None, Ratio(0, 1)),
        (None, "Ada Quist", "Prices will rise.", _ABSENT, None, Ratio(0, 1)),
        # gold without pronoun annotation (seed, PolNeAR): neither metric is defined
        (_ABSENT, "Ada Quist", "Prices will rise.", "she", None, None),
    ],
)
def test_pronoun_accuracy(
    gold_pronoun: Any,
    name: str,
    sub: str,
    pronoun: Any,
    accuracy: Ratio | None,
    given_gold_none: Ratio | None,
) -> None:
    q = gq(_ADA, "Prices will rise.", speaker="Ada Quist", canonical=True)
    if gold_pronoun is not _ABSENT:
        q["speaker_pronoun"] = gold_pronoun
    c = speaker_fields(card("d", _ADA, sub, name=name), pronoun=pronoun)
    r = evaluate([doc("d", _ADA, [q])], {"d": [c]})
    assert r.pronoun_accuracy == accuracy
    assert r.pronoun_given_where_gold_has_none == given_gold_none
    data = report_to_json(r)
    assert data["pronoun_accuracy"] == (
        None if accuracy is None else {**asdict(accuracy), "value": accuracy.value}
    )


def test_pronouns_of_unnamed_gold_are_not_judged() -> None:
    t = 'A clerk said: "Prices stay." Ada Quist said: "Prices will rise."'
    clerk = gq(t, "Prices stay.", canonical=True)
    clerk["speaker_pronoun"] = None
    clerk["speaker_description"] = "A clerk"
    ada = gq(t, "Prices will rise.", speaker="Ada Quist", canonical=True)
    ada["speaker_pronoun"] = "she"
    cards = [
        speaker_fields(card("d", t, "Prices stay.", name="clerk"), named=False, pronoun="she"),
        speaker_fields(card("d", t, "Prices will rise.", name="Ada Quist"), pronoun="she"),
    ]
    r = evaluate([doc("d", t, [clerk, ada])], {"d": cards})
    assert r.pronoun_accuracy == Ratio(1, 1)
    assert r.pronoun_given_where_gold_has_none is None  # the null speaker's null is no reading
    assert r.unnamed_speaker_accuracy == Ratio(1, 1)


_FARMER = 'One farmer, who asked not to be named, said: "The rain came late." Jo Bell agreed.'


@pytest.mark.parametrize(
    ("description", "speaker", "named", "right"),
    [
        # described: no speaker, or a speaker that says it is not named
        ("One farmer", None, _ABSENT, 1),
        ("One farmer", "farmer", False, 1),
        ("One farmer", "farmer", True, 0),
        ("One farmer", "farmer", _ABSENT, 0),  # missing: named
        ("One farmer", "Jo Bell", _ABSENT, 0),
        # no description: only no speaker is right
        (None, None, _ABSENT, 1),
        (None, "farmer", False, 0),
        (None, "farmer", True, 0),
        ("  ", "farmer", False, 0),  # a blank description is none
    ],
)
def test_unnamed_speakers(
    description: str | None, speaker: str | None, named: Any, right: int
) -> None:
    q = gq(_FARMER, "The rain came late.", canonical=True)
    if description is not None:
        q["speaker_description"] = description
    c = card("d", _FARMER, "The rain came late.", name=speaker)
    if speaker is not None:
        c = speaker_fields(c, named=named)
    r = evaluate([doc("d", _FARMER, [q])], {"d": [c]})
    assert r.unnamed_speaker_accuracy == Ratio(right, 1)
    # the null-speaker gold stays out of the speaker accuracy and the pair metric
    assert r.speaker_accuracy == Ratio(0, 0)
    assert r.direct_pair == Scores(0, 0, 0, 0)


@pytest.mark.parametrize(
    ("quote", "pred_sub", "unnamed"),
    [
        # unmatched gold is not counted, but the metric is defined
        (dict(canonical=True), "Jo Bell agreed", Ratio(0, 0)),
        # mention gold (PolNeAR) with a null speaker: not defined
        (dict(canonical=False), "The rain came late.", None),
        # every canonical speaker is named: not defined
        (dict(canonical=True, speaker="Jo Bell"), "The rain came late.", None),
        # only direct quotes count
        (dict(canonical=True, kind="indirect"), "The rain came late.", None),
    ],
)
def test_unnamed_speakers_defined_by_the_gold(
    quote: dict[str, Any], pred_sub: str, unnamed: Ratio | None
) -> None:
    q = gq(_FARMER, "The rain came late.", **quote)
    r = evaluate([doc("d", _FARMER, [q])], {"d": [card("d", _FARMER, pred_sub)]})
    assert r.unnamed_speaker_accuracy == unnamed


# --------------------------------------------------------------------------- partial, indirect


def test_partial_recall_and_precision() -> None:
    t = (
        'Ola Brandt called the plan "a costly mistake" and said it "would not survive the winter". '
        'Brandt argued that the levy was "unfair to farmers" last week. '
        'She warned that prices would rise and called the vote "rushed".'
    )
    who = "Ola Brandt"
    gold = [
        doc(
            "d",
            t,
            [
                gq(t, "a costly mistake", "partial", speaker=who, canonical=True),
                gq(t, "would not survive the winter", "partial", speaker=who, canonical=True),
                gq(t, 'the levy was "unfair to farmers"', "mixed", speaker=who, canonical=True),
                gq(t, "prices would rise", "indirect", speaker=who, canonical=True),
                gq(t, "rushed", "partial", speaker=who, canonical=True),
            ],
        )
    ]
    p = "partial_governor"
    preds = {
        "d": [
            card("d", t, "a costly mistake", "partial", name="Brandt", method=p),  # inside
            card("d", t, "said it", "partial", name="Brandt", method=p),  # inside nothing
            card("d", t, "unfair to farmers", "direct", name="Brandt"),  # finds the mixed span
            card("d", t, "prices would", "partial", name="Brandt", method=p),  # inside indirect
            # 16 of 22 characters inside (73%): not inside
            card("d", t, 'plan "a costly mistake', "partial", name="Brandt", method=p),
            # 28 of 32 characters inside (87.5%): finds it
            card("d", t, 'it "would not survive the winter', "partial", name="Brandt", method=p),
        ]
    }
    r = evaluate(gold, preds)
    assert r.partial == Scores(pred_correct=3, n_pred=5, gold_found=3, n_gold=4)
    assert r.partial.precision == 0.6
    assert r.partial.recall == 0.75
    assert r.partial.f1 == pytest.approx(2 / 3)
    partial_errors = [e for e in errs(r) if e[1] in ("partial", "mixed")]
    assert partial_errors == [
        ("fp", "partial", 'plan "a costly mistake'),
        ("fp", "partial", "said it"),
        ("fn", "partial", "rushed"),
    ]


def test_indirect_overlap_covers_half_of_shorter_span() -> None:
    t = (
        "The council said the budget would be cut by half next year. "
        "Residents claimed the road was unsafe at night."
    )
    gold = [
        doc(
            "d",
            t,
            [
                gq(
                    t,
                    "the budget would be cut by half next year",
                    "indirect",
                    speaker="The council",
                    speaker_sub="The council",
                ),
                gq(
                    t,
                    "the road was unsafe at night",
                    "indirect",
                    speaker="Residents",
                    speaker_sub="Residents",
                ),
            ],
        )
    ]
    m = "indirect_clause"
    preds = {
        "d": [
            # overlap 19 of the shorter 24 (79%), though only 19/46 of the union
            card(
                "d",
                t,
                "said the budget would be",
                "indirect",
                name="council",
                mention="council",
                method=m,
            ),
            # overlap 8 of the shorter 26: no match
            card("d", t, "Residents claimed the road", "indirect", name="Residents", method=m),
        ]
    }
    r = evaluate(gold, preds)
    assert r.indirect == Scores(1, 2, 1, 2)
    assert r.indirect.f1 == 0.5
    assert r.indirect_speaker_accuracy == Ratio(1, 1)
    assert r.direct_lenient == Scores(0, 0, 0, 0)
    assert errs(r) == [
        ("fp", "indirect", "Residents claimed the road"),
        ("fn", "indirect", "the road was unsafe at night"),
    ]


def test_indirect_one_to_one_and_wrong_speaker() -> None:
    t = "Two pilots said the runway was too short for the jet."
    g = gq(
        t,
        "the runway was too short for the jet",
        "indirect",
        speaker="Two pilots",
        speaker_sub="Two pilots",
    )
    gold = [doc("d", t, [g])]
    m = "indirect_clause"
    preds = {
        "d": [
            card(
                "d",
                t,
                "the runway was too short",
                "indirect",
                name="pilots",
                mention="pilots",
                method=m,
            ),
            card(
                "d",
                t,
                "said the runway was too short for the jet",
                "indirect",
                name="jet",
                mention="jet",
                method=m,
            ),
        ]
    }
    r = evaluate(gold, preds)
    # both cover all of the shorter span; the tie goes to the larger overlap / union (the second)
    assert r.indirect == Scores(1, 2, 1, 1)
    assert r.indirect_speaker_accuracy == Ratio(0, 1)
    assert errs(r) == [
        ("fp", "indirect", "the runway was too short"),  # same start, ends first
        ("wrong_speaker", "indirect", "the runway was too short for the jet"),
    ]
    assert r.errors[1]["pred_span"] == list(_find(t, "said the runway was too short for the jet"))


# --------------------------------------------------------------------------- addressees


def test_addressee_recall() -> None:
    t = (
        'Kai Berg told Pia Holm: "Sign the deal." Berg later told council members that the vote '
        'was close. He urged Tom Reyes to act "without delay".'
    )
    kai = "Kai Berg"
    gold = [
        doc(
            "d",
            t,
            [
                gq(t, "Sign the deal.", addressee="Pia Holm", speaker=kai, canonical=True),
                gq(
                    t,
                    "the vote was close",
                    "indirect",
                    addressee="council members",
                    speaker=kai,
                    canonical=True,
                ),
                gq(
                    t,
                    "without delay",
                    "partial",
                    addressee="Tom Reyes",
                    speaker=kai,
                    canonical=True,
                ),
            ],
        )
    ]
    preds = {
        "d": [
            card("d", t, "Sign the deal.", name="Kai Berg", addressee="Holm"),  # right
            card("d", t, "the vote was close", "indirect", name="Berg", method="indirect_clause"),
            card(
                "d",
                t,
                "without delay",
                "partial",
                name="Berg",
                addressee="Tom Reyes",
                method="partial_governor",
            ),
        ]
    }
    r = evaluate(gold, preds)
    assert r.addressee_matched == 3
    assert r.addressee_recall == Ratio(2, 3)
    # an unmatched gold quote counts against the recall
    r = evaluate(gold, {"d": preds["d"][:1]})
    assert r.addressee_matched == 1
    assert r.addressee_recall == Ratio(1, 3)


# --------------------------------------------------------------------------- documents, errors


def test_missing_and_unknown_documents() -> None:
    t = 'Lu Chen said: "It works."'
    gold = [doc("d", t, [gq(t, "It works.", speaker="Lu Chen", speaker_sub="Lu Chen")])]
    stray = card("other", t, "It works.", name="Lu Chen")
    r = evaluate(gold, {"other": [stray]})  # "d" has no predictions, "other" is ignored
    assert r.n_documents == 1
    assert r.direct_exact == Scores(0, 0, 0, 1)
    assert r.direct_pair == Scores(0, 0, 0, 1)
    assert (r.direct_exact.precision, r.direct_exact.recall, r.direct_exact.f1) == (0, 0, 0)
    assert r.unknown_speaker_rate == Ratio(0, 0)
    assert r.pred_counts == {}
    assert errs(r) == [("fn", "direct", "It works.")]
    assert r.errors[0]["pred_span"] is None

    empty = evaluate([], {"d": [stray]})
    assert empty.n_documents == 0
    assert empty.errors == []
    assert empty.direct_pair.f1 == 0.0
    assert empty.partial == Scores(0, 0, 0, 0)
    assert "documents: 0" in format_report(empty)


def test_error_context_is_the_paragraph() -> None:
    t = (
        "A first paragraph without quotes.\n"
        'Jo Park said: "Open the gates." Park added: "Close them at six."\n'
        "A third paragraph.\n"
    )
    gold = [
        doc(
            "d",
            t,
            [
                gq(t, "Open the gates.", speaker="Jo Park", speaker_sub="Jo Park"),
                gq(t, "Close them at six.", speaker="Park", speaker_sub="Park", speaker_nth=1),
            ],
        )
    ]
    preds = {
        "d": [
            card("d", t, "Open the gates.", name="Park", mention="Park", mention_nth=1),
            card("d", t, "A third paragraph", method="nearest_speaker"),
        ]
    }
    r = evaluate(gold, preds)
    s, e = _find(t, "Open the gates.")
    para = 'Jo Park said: "Open the gates." Park added: "Close them at six."'
    assert r.errors[0] == {
        "doc_id": "d",
        "type": "wrong_speaker",
        "kind": "direct",
        "start": s,
        "end": e,
        "text": "Open the gates.",
        "gold_span": [s, e],
        "pred_span": [s, e],
        "gold_speaker": "Jo Park",
        "gold_speaker_span": list(_find(t, "Jo Park")),
        "pred_speaker": "Park",
        "pred_speaker_span": list(_find(t, "Park", 1)),
        "method": "cue_adjacent",
        "context": para,
    }
    assert errs(r)[1:] == [
        ("fn", "direct", "Close them at six."),
        ("fp", "direct", "A third paragraph"),
    ]
    assert r.errors[1]["context"] == para
    assert r.errors[1]["pred_speaker"] is None
    assert r.errors[1]["method"] is None
    assert r.errors[2]["context"] == "A third paragraph."
    assert r.errors[2]["method"] == "nearest_speaker"


def test_error_context_is_cut_in_long_paragraphs() -> None:
    filler = "lorem ipsum " * 40  # 480 characters
    t = filler + 'Max Roe said: "Keep it short."' + " " + filler
    gold = [doc("d", t, [gq(t, "Keep it short.", speaker="Max Roe", speaker_sub="Max Roe")])]
    r = evaluate(gold, {})
    s, e = _find(t, "Keep it short.")
    assert r.errors[0]["context"] == t[s - CONTEXT_CHARS : e + CONTEXT_CHARS].strip()


# --------------------------------------------------------------------------- fixture file


def _fixture_gold() -> list[GoldDoc]:
    with (DATA / "mini.gold.jsonl").open(encoding="utf-8") as f:
        return load_gold(f)


def _fixture_predictions(gold: list[GoldDoc]) -> dict[str, list[dict[str, Any]]]:
    t1, t2 = gold[0].text, gold[1].text
    return {
        "mini-mention": [
            card("mini-mention", t1, "The new pier opens in June.", name="Ana Ruiz"),
            card(
                "mini-mention",
                t1,
                "unsafe in storms",
                "partial",
                name="Ana Ruiz",
                mention="She",
                method="partial_governor",
            ),
            card("mini-mention", t1, "Boats can still use the east dock", method="none"),
        ],
        "mini-canonical": [
            card(
                "mini-canonical",
                t2,
                "the budget was balanced",
                "indirect",
                name="Tom Reyes",
                addressee="reporters",
                method="indirect_clause",
            ),
            card(
                "mini-canonical",
                t2,
                "witch hunt",
                "partial",
                name="Reyes",
                method="partial_governor",
            ),
            card("mini-canonical", t2, "We did nothing wrong", name="Reyes", addressee="Holm"),
            card("mini-canonical", t2, '"reform plan"', method="none"),
            card("mini-canonical", t2, "The so-called", name="Reyes", method="nearest_speaker"),
        ],
        "not-in-gold": [card("not-in-gold", t2, "witch hunt", name="Reyes")],
    }


def test_load_gold_keeps_raw_quotes() -> None:
    gold = _fixture_gold()
    assert [d.id for d in gold] == ["mini-mention", "mini-canonical"]  # blank line skipped
    assert gold[0].source == "invented"
    assert gold[0].meta == {"note": "hand-written test text"}
    assert gold[1].meta is None
    assert len(gold[0].quotes) == 3
    assert gold[0].quotes[0]["attribution_id"] == "a1"  # unknown keys kept
    assert gold[1].quotes[3]["speaker_aliases"] == ["Mayor Reyes"]
    for d in gold:
        for q in d.quotes:
            assert d.text[q["start"] : q["end"]] == q["text"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": "a", "text": "", "quotes": []}', "", "oops"], "g:3: not a JSON object"),
        (['"a string"'], "g:1: not a JSON object but a JSON str"),
        (['{"id": "a", "text": "Hi.", "quotes": [{"start": 0, "end": 9}]}'], "g:1: quote 0"),
        (['{"id": "a", "text": "Hi.", "quotes": [{"start": true, "end": 2}]}'], "g:1: quote 0"),
        (['{"id": "a", "text": 3, "quotes": []}'], 'g:1: "text" must be a string'),
    ],
)
def test_load_gold_names_the_bad_line(lines: list[str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_gold(lines, "g")
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, QuotesError)


def test_fixture_end_to_end() -> None:
    gold = _fixture_gold()
    r = evaluate(gold, _fixture_predictions(gold))
    assert r.n_documents == 2
    assert r.gold_counts == {"direct": 3, "indirect": 1, "mixed": 1, "partial": 2, "scare": 1}
    assert r.pred_counts == {"direct": 5, "indirect": 1, "partial": 2}
    assert r.n_ignored_scare == 1
    assert r.direct_exact == Scores(3, 4, 3, 3)
    assert r.direct_exact.f1 == pytest.approx(6 / 7)
    assert r.direct_lenient == Scores(3, 4, 3, 3)
    assert r.speaker_accuracy == Ratio(2, 3)
    assert r.speaker_accuracy_strict == Ratio(0, 1)  # "Reyes" is not "Tom Reyes"
    assert r.direct_pair == Scores(2, 4, 2, 3)
    assert r.direct_pair.f1 == pytest.approx(4 / 7)
    assert r.unknown_speaker_rate == Ratio(1, 4)
    assert r.per_method == {
        "cue_adjacent": MethodStats(2, 2),
        "nearest_speaker": MethodStats(1, 0),
        "none": MethodStats(1, 0),
    }
    assert r.partial == Scores(2, 2, 2, 3)
    assert r.partial.f1 == pytest.approx(0.8)
    assert r.indirect == Scores(1, 1, 1, 1)
    assert r.indirect_speaker_accuracy == Ratio(1, 1)
    assert r.addressee_recall == Ratio(2, 2)
    assert r.addressee_matched == 2
    assert [(e["doc_id"], e["type"], e["kind"], e["text"]) for e in r.errors] == [
        ("mini-mention", "wrong_speaker", "direct", "Boats can still use the east dock,"),
        ("mini-canonical", "fn", "partial", "a waste of time"),
        ("mini-canonical", "fp", "direct", "The so-called"),
    ]


def test_report_to_json_and_format_report() -> None:
    gold = _fixture_gold()
    r = evaluate(gold, _fixture_predictions(gold))
    data = report_to_json(r)
    assert json.loads(json.dumps(data)) == data
    assert data["n_documents"] == 2
    assert data["direct_pair"]["f1"] == pytest.approx(4 / 7)
    assert data["direct_pair"]["n_pred"] == 4
    assert data["speaker_accuracy"] == {"value": 2 / 3, "count": 2, "total": 3}
    assert data["speaker_accuracy_strict"] == {"value": 0.0, "count": 0, "total": 1}
    # the fixture annotates no pronouns and no unnamed speakers
    assert data["pronoun_accuracy"] is None
    assert data["pronoun_given_where_gold_has_none"] is None
    assert data["unnamed_speaker_accuracy"] is None
    assert data["per_method"]["cue_adjacent"] == {"n": 2, "right": 2, "precision": 1.0}
    assert data["n_errors"] == len(data["errors"]) == 3
    assert "errors" not in report_to_json(r, include_errors=False)

    text = format_report(r)
    for label in (
        "direct exact",
        "direct lenient",
        "direct pair (headline)",
        "speaker accuracy",
        "speaker accuracy strict",
        "pronoun accuracy",
        "pronoun given, gold none",
        "unnamed speaker accuracy",
        "unknown-speaker rate",
        "partial",
        "indirect",
        "indirect speaker accuracy",
        "addressee recall",
        "nearest_speaker",
        "scare",
    ):
        assert label in text
    assert "documents: 2" in text
    lines = text.splitlines()
    table = lines[lines.index("") + 1 : lines.index("", lines.index("") + 1)]
    assert len(table) == 15  # header, rule, 13 metrics
    assert len({len(line) for line in table}) == 1  # aligned
    pair = next(line for line in lines if line.startswith("direct pair"))
    assert pair.split()[3:6] == ["0.500", "0.667", "0.571"]
    pronoun = next(line for line in lines if line.startswith("pronoun accuracy"))
    assert pronoun.split()[2:] == ["n/a", "no", "gold", "pronouns"]


def test_format_report_without_canonical_gold() -> None:
    gold, preds, _ = _mention_case()
    text = format_report(evaluate(gold, preds))
    strict = next(line for line in text.splitlines() if line.startswith("speaker accuracy strict"))
    assert "n/a" in strict


# --------------------------------------------------------------------------- real data


def test_polnear_dev_perfect_predictions() -> None:
    path = SHARED / "eval" / "polnear" / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    with path.open(encoding="utf-8") as f:
        gold = load_gold(f)
    preds: dict[str, list[dict[str, Any]]] = {}
    for d in gold:
        cards = []
        for i, q in enumerate(d.quotes):
            if q["kind"] != "direct":
                continue
            speaker = None
            if q["speaker"] is not None:
                speaker = {
                    "name": q["speaker"],
                    "mention": q["speaker"],
                    "start": q["speaker_start"],
                    "end": q["speaker_end"],
                    "type": "person",
                }
            fc = FactCard.model_validate(
                {
                    "id": f"{d.id}:{i}",
                    "doc_id": d.id,
                    "quote": {
                        "text": q["text"],
                        "start": q["start"],
                        "end": q["end"],
                        "kind": "direct",
                    },
                    "speaker": speaker,
                    "cue": None,
                    "addressee": None,
                    "method": "cue_adjacent",
                    "confidence": 1.0,
                    "paragraph": 0,
                    "sentence": "",
                }
            )
            cards.append(fc.model_dump(mode="json"))
        preds[d.id] = cards
    r = evaluate(gold, preds)
    assert r.n_documents == len(gold) > 0
    assert r.direct_exact.f1 == 1.0
    assert r.direct_lenient.f1 == 1.0
    assert r.direct_pair.f1 == 1.0
    assert r.speaker_accuracy.value == 1.0
    assert r.speaker_accuracy_strict is None
    assert not [e for e in r.errors if e["kind"] == "direct"]


# --------------------------------------------------------------------------- the eval command

_SAID = 'Lu Chen said: "It works." Then she left.'


def _gold_line(doc_id: str = "g1", text: str = _SAID, sub: str = "It works.") -> str:
    quote = gq(text, sub, speaker="Lu Chen", canonical=True)
    return json.dumps({"id": doc_id, "text": text, "quotes": [quote]}, ensure_ascii=False)


def _card_line(doc_id: str = "g1", text: str = _SAID, sub: str = "It works.") -> str:
    return json.dumps(card(doc_id, text, sub, name="Lu Chen"), ensure_ascii=False)


def _eval(tmp_path: Path, gold: str | None, pred: str | None, *args: str) -> Result:
    """Run ``quotes eval`` on gold and pred files holding these texts (``None``: no such file)."""
    gold_path, pred_path = tmp_path / "gold.jsonl", tmp_path / "cards.jsonl"
    for path, content in ((gold_path, gold), (pred_path, pred)):
        if content is not None:
            path.write_text(content, encoding="utf-8")
    return CliRunner().invoke(cli, ["eval", str(gold_path), "--pred", str(pred_path), *args])


@pytest.mark.parametrize(
    ("gold", "pred", "message"),
    [
        pytest.param("Lu Chen said it works.\n", "", "gold.jsonl:1: not a JSON object", id="text"),
        pytest.param(
            _gold_line() + "\n\n[1, 2]\n", "", "gold.jsonl:3: not a JSON object", id="array"
        ),
        pytest.param(
            '{"id": "g1", "text": "Plain."}\n', "", 'gold.jsonl:1: no "quotes" list', id="no-quotes"
        ),
        pytest.param(_card_line() + "\n", "", 'gold.jsonl:1: no "quotes" list', id="cards-as-gold"),
        pytest.param('{"id": "g1", "quotes": []}\n', "", 'gold.jsonl:1: no "text"', id="no-text"),
        pytest.param("\n\n", "", "gold.jsonl: no gold documents", id="empty-gold"),
        pytest.param(
            '{"id": "g1", "text": "Hi.", "quotes": [{"kind": "direct"}]}\n',
            "",
            "gold.jsonl:1: quote 0",
            id="quote-without-offsets",
        ),
        pytest.param(
            _gold_line(),
            "Lu Chen: it works\n",
            "cards.jsonl:1: not JSON",
            id="text-as-cards",
        ),
        pytest.param(
            _gold_line(),
            _card_line() + '\n{"id": 1}\n',
            "cards.jsonl:2: not a fact card",
            id="not-a-card",
        ),
        pytest.param(
            _gold_line(), _card_line("other") + "\n", "none of the document ids", id="other-docs"
        ),
        pytest.param(_gold_line(), _gold_line(), "give it as GOLD", id="gold-as-cards"),
        # missing files are errors like extract's, not usage errors
        pytest.param(None, "", "gold.jsonl: no such file", id="missing-gold"),
        pytest.param(_gold_line(), None, "cards.jsonl: no such file", id="missing-cards"),
    ],
)
def test_eval_rejects_unusable_input(
    tmp_path: Path, gold: str | None, pred: str | None, message: str
) -> None:
    result = _eval(tmp_path, gold, pred)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_eval_gold_folder_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path}: ")


@pytest.mark.parametrize(
    ("cards", "warning", "f1"),
    [
        pytest.param(["g1", "stray-1", "stray-2"], "'stray-1', 'stray-2'", 1.0, id="unknown-ids"),
        pytest.param([], "no cards, so every score is 0", 0.0, id="no-cards"),
    ],
)
def test_eval_warns_but_scores(tmp_path: Path, cards: list[str], warning: str, f1: float) -> None:
    pred = "".join(_card_line(doc_id) + "\n" for doc_id in cards)
    result = _eval(tmp_path, _gold_line() + "\n", pred, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("quotes: warning: ")
    assert warning in result.stderr
    assert json.loads(result.stdout)["direct_pair"]["f1"] == f1


def test_eval_splits_records_on_newlines_only(tmp_path: Path) -> None:
    # JSON strings may hold U+2028, U+2029 and U+0085 raw; str.splitlines would break there
    text = 'Lu Chen said:\u2028"It works."\u0085Then she left.\u2029'
    gold = _gold_line(text=text) + "\r\n" + _gold_line("g2", text=text) + "\n"
    pred = _card_line(text=text) + "\n" + _card_line("g2", text=text)
    result = _eval(tmp_path, gold, pred, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["n_documents"] == 2
    assert data["direct_exact"]["f1"] == 1.0


@pytest.mark.parametrize(
    ("content", "exit_code", "message"),
    [
        pytest.param(f"[{_card_line()}]", 0, "", id="list"),
        pytest.param(_card_line(), 0, "", id="one-card"),
        pytest.param(f"[{_card_line()},", 1, "cards.json:1: not JSON", id="broken"),
        pytest.param("[[1]]", 1, "cards.json:1: not a fact card", id="not-a-card"),
    ],
)
def test_eval_reads_json_cards(tmp_path: Path, content: str, exit_code: int, message: str) -> None:
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "cards.json"
    gold.write_text(_gold_line(), encoding="utf-8")
    pred.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--pred", str(pred), "--json"])
    assert result.exit_code == exit_code, result.output
    assert message in result.stderr
    if exit_code == 0:
        assert json.loads(result.stdout)["direct_pair"]["f1"] == 1.0
