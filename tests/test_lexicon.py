"""The lexicon holds rule data only, grouped by the modules that use it: every entry is used by
a module its section names (directly, or through another entry built from it)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from quotes.core import lexicon

LEXICON = Path(lexicon.__file__)
_SECTION = re.compile(r"^# --- (?P<title>.+) ---\n# used by: (?P<users>.+)$", re.M)


def _sections() -> list[tuple[str, list[str], list[str]]]:
    """(title, user modules, entry names) for each section, in order."""
    source = LEXICON.read_text(encoding="utf-8")
    heads = list(_SECTION.finditer(source))
    assert heads, "the lexicon has no '# --- … ---' / '# used by: …' sections"
    found = []
    for n, head in enumerate(heads):
        end = heads[n + 1].start() if n + 1 < len(heads) else len(source)
        body = ast.parse(source[head.end() : end])
        names = [
            (node.targets[0] if isinstance(node, ast.Assign) else node.target).id  # type: ignore[union-attr]
            for node in body.body
            if isinstance(node, (ast.Assign, ast.AnnAssign))
        ]
        users = [u.strip() for u in head["users"].split(",")]
        found.append((head["title"], users, names))
    return found


def _source(module: str) -> str:
    path = importlib.import_module(module).__file__
    assert path is not None
    return Path(path).read_text(encoding="utf-8")


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"\b{name}\b", text) is not None


def test_every_entry_sits_in_a_section() -> None:
    in_sections = {name for _, _, names in _sections() for name in names}
    module_level = {name for name in vars(lexicon) if name.isupper() and not name.startswith("_")}
    assert module_level == in_sections


def _definitions() -> dict[str, str]:
    """The source text of each entry's definition."""
    source = LEXICON.read_text(encoding="utf-8")
    tree = ast.parse(source)
    return {
        (node.targets[0] if isinstance(node, ast.Assign) else node.target).id: (  # type: ignore[union-attr]
            ast.get_source_segment(source, node) or ""
        )
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
    }


@pytest.mark.parametrize(("title", "users", "names"), _sections(), ids=lambda v: str(v)[:30])
def test_each_entry_is_used_by_a_module_its_section_names(
    title: str, users: list[str], names: list[str]
) -> None:
    sources = [_source(user) for user in users]
    used = {n for n in names if any(_mentions(s, n) for s in sources)}
    # An entry may serve through another used entry built from it (QUOTE_MARKS from both kinds).
    definitions = _definitions()
    grew = True
    while grew:
        more = {
            n for n in names if n not in used and any(_mentions(definitions[u], n) for u in used)
        }
        used |= more
        grew = bool(more)
    assert sorted(set(names) - used) == [], f"unused entries in section {title!r}"
