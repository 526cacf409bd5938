"""The corpus speaker index: which document-level names merge, against a small gold."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from quotes.corpus import (
    KeptApart,
    Merge,
    group_names,
    is_proper_name,
    is_sub_form,
    iso_date,
    name_form,
    speaker_id,
    speaker_index,
)
from quotes.models import SpeakerType

from .conftest import REPO
from .export_data import card, records

GOLD = json.loads((REPO / "tests" / "data" / "speakers.gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Donald J. Trump", ("donald", "j", "trump")),
        ("George H.W. Bush", ("george", "hw", "bush")),
        ("the Pentagon", ("pentagon",)),
        ("Trump's", ("trump",)),
        ("BRENNAN,", ("brennan",)),
    ],
)
def test_name_form(name: str, form: tuple[str, ...]) -> None:
    assert name_form(name) == form


@pytest.mark.parametrize(
    ("short", "full", "kind", "expected"),
    [
        ("Trump", "Donald Trump", "person", True),
        ("Donald Trump", "Donald J. Trump", "person", True),
        ("Donald J. Trump", "Donald John Trump", "person", True),  # an initial
        ("Donald Trump", "Donald Trump", "person", False),  # not strict
        ("Donald Trump", "Donald Trump Jr.", "person", False),  # a suffix: someone else
        ("Trump", "Donald Trump Jr.", "person", False),
        ("Trump Jr.", "Donald Trump Jr.", "person", True),
        ("George W. Bush", "George H.W. Bush", "person", False),
        ("Donald", "Donald Trump", "person", False),  # first names alone never merge
        ("he", "Jim He", "person", False),  # pronouns never merge
        ("Donald Trump", "Billionaire Donald Trump", "person", False),  # first names differ
        ("De Vries", "Ines de Vries", "person", True),  # the surname's particle
        ("Trump", "Donald Trump", "organization", False),  # one word is not enough
        ("Justice Department", "U.S. Justice Department", "organization", True),
        ("Justice Department", "Justice Department Office", "organization", False),
        ("officials", "port officials", "collective", False),
        ("a spokesman", "a port spokesman", "person", False),  # descriptions, not names
    ],
)
def test_is_sub_form(short: str, full: str, kind: SpeakerType, expected: bool) -> None:
    assert is_sub_form(short, full, kind) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bill de Blasio", True),
        ("Department of Justice", True),
        ("WALLACE", True),
        ("a school spokesman", False),
        ("Retired general", False),
    ],
)
def test_is_proper_name(name: str, expected: bool) -> None:
    assert is_proper_name(name) is expected


def _identity(grouping: Any, name: str, kind: str) -> tuple[str, str]:
    return grouping.identity_of[(name, kind)]  # type: ignore[no-any-return]


def _check_gold(identity_of: Any, gold: dict[str, Any]) -> None:
    """Every 'same' group is one identity named 'as'; no two names of a 'different' group
    share an identity."""
    for group in gold["same"]:
        identities = {identity_of(name, group["type"]) for name in group["names"]}
        assert len(identities) == 1, (group, identities)
        assert identities.pop()[0] == group["as"]
    for group in gold["different"]:
        for a, b in itertools.combinations(group["names"], 2):
            assert identity_of(a, group["type"]) != identity_of(b, group["type"]), (a, b)


def test_invented_corpus_gold() -> None:
    gold = GOLD["invented"]
    quotes = {(n["name"], n["type"]): n["quotes"] for n in gold["names"]}
    grouping = group_names(quotes)
    _check_gold(lambda name, kind: _identity(grouping, name, kind), gold)
    # The same name of another type stays apart.
    assert _identity(grouping, "Brennan", "organization") != _identity(
        grouping, "Brennan", "person"
    )


def test_every_merge_is_reported_with_its_reason() -> None:
    gold = GOLD["invented"]
    quotes = {(n["name"], n["type"]): n["quotes"] for n in gold["names"]}
    grouping = group_names(quotes)
    merged = {(m.name, m.type): m for m in grouping.merges}
    # Every name that is not its identity's corpus name is reported, and nothing else.
    assert set(merged) == {k for k, v in grouping.identity_of.items() if k != v}
    assert merged[("Brennan", "person")] == Merge("Brennan", "person", "Ada Brennan", "sub-form")
    assert merged[("BRENNAN", "person")].reason == "sub-form"
    assert merged[("Ada Kathleen Brennan", "person")].reason == "fuller form"
    assert merged[("the Harbour Port Authority", "organization")].reason == "spelling"
    assert merged[("Veteran Karl Ostrow", "person")].reason == "leading words"
    dominant = merged[("Delacroix", "person")]
    assert dominant.reason == "dominant"
    assert "Paul Delacroix (1)" in dominant.detail
    assert str(dominant).startswith("'Delacroix' → 'Mina Delacroix' (person, dominant; among")
    apart = {(a.name, a.type): a for a in grouping.apart}
    assert apart[("Smith", "person")] == KeptApart("Smith", "person", ("John Smith", "Jane Smith"))
    assert ("Vale", "person") in apart


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        # Leading words that are nobody's first name: the name the corpus also has alone,
        # however often the longer one is quoted.
        ({"Republican Ada Brennan": 5, "Ada Brennan": 1}, "Ada Brennan"),
        (
            {"Rip Republican Ada Brennan": 5, "Republican Ada Brennan": 1, "Ada Brennan": 1},
            "Ada Brennan",
        ),
        ({"Republican Ada Brennan": 5}, "Republican Ada Brennan"),  # not alone: kept
        # "Tom" is Tom Vale's first name: a headline fragment, not Karl Ostrow.
        ({"Tom Vale Backs Karl Ostrow": 5, "Tom Vale": 1, "Karl Ostrow": 1}, None),
    ],
)
def test_leading_words(names: dict[str, int], expected: str | None) -> None:
    grouping = group_names({(n, "person"): q for n, q in names.items()})
    first = next(iter(names))
    assert grouping.identity_of[(first, "person")][0] == (expected or first)


def test_a_headline_fragment_is_no_candidate_for_a_surname() -> None:
    quotes = {("Karl Ostrow", "person"): 20, ("Ostrow", "person"): 3}
    quotes[("Tom Vale Backs Karl Ostrow", "person")] = 30
    quotes[("Tom Vale", "person")] = 2
    grouping = group_names(quotes)
    assert grouping.identity_of[("Ostrow", "person")] == ("Karl Ostrow", "person")


def test_dominance_can_be_switched_off() -> None:
    quotes = {("Mina Delacroix", "person"): 30, ("Paul Delacroix", "person"): 1}
    quotes[("Delacroix", "person")] = 5
    strict = group_names(quotes, dominance=float("inf"))
    assert strict.identity_of[("Delacroix", "person")] == ("Delacroix", "person")
    assert group_names(quotes).identity_of[("Delacroix", "person")] == ("Mina Delacroix", "person")


def test_the_corpus_name_is_the_most_quoted_full_form() -> None:
    quotes = {
        ("Trump", "person"): 500,  # most quoted, but a surname alone
        ("Donald J. Trump", "person"): 10,
        ("Donald Trump", "person"): 200,
    }
    grouping = group_names(quotes)
    assert set(grouping.identity_of.values()) == {("Donald Trump", "person")}
    assert grouping.members[("Donald Trump", "person")][0] == ("Donald Trump", "person")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-09-12", "2016-09-12"),
        ("2016-09-12T10:00", "2016-09-12"),
        ("2016", "2016"),
        ("Sept. 12, 2016", None),
        (None, None),
    ],
)
def test_iso_date(value: str | None, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_index_of_records_counts_quotes_documents_and_dates() -> None:
    index = speaker_index(records())
    patel = next(s for s in index.speakers if s.name == "Ann Patel")
    assert (patel.quotes, patel.documents) == (4, 2)
    assert (patel.first_date, patel.last_date) == ("2016-09-12", "2016-10-01")
    assert patel.id == speaker_id("Ann Patel", "person")
    assert index.speakers[0] is patel  # most quoted first
    assert index.speaker_of(records()[0].cards[0]) == patel
    assert index.speaker_of(card("x", 0, speaker=None)) is None


def test_index_of_cards_alone_has_no_dates() -> None:
    index = speaker_index([card("a", 0), card("b", 0)])
    assert [(s.name, s.quotes, s.documents, s.first_date) for s in index.speakers] == [
        ("Ann Patel", 2, 2, None)
    ]
