"""End to end: the seed page in headless Chromium, driven by selenium with Debian's chromium and
chromium-driver (no driver download). Skipped when selenium, chromium or chromedriver is missing.

QUOTES_UPDATE_SCREENSHOT=1 also writes the screenshot to docs/seed.png.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quotes import Extractor
from quotes.models import DocumentRecord, Source
from quotes.render import render_page

from .test_render import written_span

webdriver = pytest.importorskip("selenium.webdriver")
ActionBuilder = pytest.importorskip(
    "selenium.webdriver.common.actions.action_builder"
).ActionBuilder

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_e952d6c5d011f049.txt"
WIDTH, HEIGHT = 1200, 2000


def _binary(env: str, *names: str) -> str | None:
    """The executable named by env, else the first of names on PATH or in /usr/bin."""
    candidates = [os.environ[env]] if os.environ.get(env) else []
    for name in names:
        candidates += [shutil.which(name) or "", f"/usr/bin/{name}"]
    return next((c for c in candidates if c and Path(c).is_file()), None)


CHROMIUM = _binary("QUOTES_CHROMIUM", "chromium", "chromium-browser")
CHROMEDRIVER = _binary("QUOTES_CHROMEDRIVER", "chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


# --------------------------------------------------------------------------- PNG, stdlib only


def png_pixels(
    data: bytes, max_rows: int | None = None
) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(width, height, RGB pixels of the first max_rows rows) of an 8-bit, non-interlaced RGB
    or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = depth = colour = interlace = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height if max_rows is None else min(height, max_rows)):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            left = cur[i - bpp] if i >= bpp else 0
            up = prev[i]
            if kind == 1:
                cur[i] = (cur[i] + left) & 0xFF
            elif kind == 2:
                cur[i] = (cur[i] + up) & 0xFF
            elif kind == 3:
                cur[i] = (cur[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = prev[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                cur[i] = (cur[i] + pred) & 0xFF
        rows.append(cur)
        prev = cur
    pixels = [
        (row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]) for row in rows for x in range(width)
    ]
    return width, height, pixels


def rgb(css: str) -> tuple[int, int, int]:
    """'rgb(207, 226, 255)' or 'rgba(…)' -> (207, 226, 255)."""
    inside = css[css.index("(") + 1 : css.index(")")]
    r, g, b = (int(float(v)) for v in inside.split(",")[:3])
    return r, g, b


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def seed() -> tuple[str, DocumentRecord]:
    text = SEED.read_text(encoding="utf-8")
    record = Extractor().extract_document(text, SEED.stem).record(Source(path=f"seeds/{SEED.name}"))
    return text, record


@pytest.fixture(scope="module")
def page_file(seed: tuple[str, DocumentRecord], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "seed.html"
    path.write_text(render_page([seed], title="Seed corpus"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WIDTH},{HEIGHT}",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    # A driver path in the Service: selenium does not run Selenium Manager, nothing is fetched.
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    try:
        # the viewport itself WIDTH x HEIGHT (the window size includes the browser's frame)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any, page_file: Path) -> Any:
    browser.get(page_file.as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    return browser


# --------------------------------------------------------------------------- tests

_MARKS_JS = """
return Array.from(document.querySelectorAll('mark.qc-q[tabindex]')).map(m => {
  m.scrollIntoView({block: 'center'});
  const r = m.getBoundingClientRect();
  const line = m.getClientRects()[0];
  const s = getComputedStyle(m);
  const card = m.querySelector('.qc-card');
  const hit = document.elementFromPoint(line.left + 3, line.top + line.height / 2);
  return {card: m.dataset.card, text: m.innerText, bg: s.backgroundColor,
          visibility: s.visibility, opacity: s.opacity, w: r.width, h: r.height,
          onTop: m === hit || m.contains(hit), cardDisplay: getComputedStyle(card).display};
});
"""


def test_quotes_are_highlighted_and_visible(page: Any, seed: tuple[str, DocumentRecord]) -> None:
    text, record = seed
    found = page.execute_script(_MARKS_JS)
    by_card = {m["card"]: m for m in found}
    assert set(by_card) == {c.id for c in record.cards}
    for card in record.cards:
        mark = by_card[card.id]
        assert mark["w"] > 0 and mark["h"] > 0, card.quote.text
        assert mark["visibility"] == "visible" and float(mark["opacity"]) == 1
        assert mark["onTop"], f"quote {card.id} is covered by another element"
        assert mark["bg"] not in ("transparent", "rgba(0, 0, 0, 0)"), mark
        assert rgb(mark["bg"]) != (255, 255, 255)
        start, end = written_span(card, record)  # an indirect card holds its partial quotes
        assert " ".join(mark["text"].split()) == " ".join(text[start:end].split())
        assert mark["cardDisplay"] == "none", "cards are hidden until hover or focus"
    marks = page.find_elements("css selector", "mark.qc-q[tabindex]")
    assert all(m.is_displayed() for m in marks)
    who = page.find_element("css selector", ".qc-text .qc-who")
    assert int(who.value_of_css_property("font-weight")) >= 600


def test_card_shows_on_keyboard_focus_and_hover(
    page: Any, seed: tuple[str, DocumentRecord]
) -> None:
    _, record = seed
    body = page.find_element("css selector", "body")
    body.click()
    active = None
    for _ in range(40):  # skip link, contents, then the first quote
        webdriver.ActionChains(page).send_keys(webdriver.Keys.TAB).perform()
        active = page.switch_to.active_element
        if "qc-q" in (active.get_attribute("class") or ""):
            break
    assert active is not None and active.tag_name == "mark", "a quote is reachable by Tab"
    first = record.cards[0]
    assert active.get_attribute("data-card") == first.id
    card = active.find_element("css selector", ".qc-card")
    assert card.is_displayed()
    text = card.text
    assert first.speaker is not None and first.speaker.name in text
    assert first.method in text and f"{first.confidence:.2f}" in text
    rect = page.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight];",
        card,
    )
    left, top, right, bottom, vw, vh = rect
    assert 0 <= left < right <= vw and 0 <= top < bottom <= vh, "the card is on screen"
    outline = active.value_of_css_property("outline-style")
    assert outline != "none", "focus is visible"
    # another quote by the mouse
    other = page.find_elements("css selector", "mark.qc-q[tabindex]")[3]
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", other)
    body.send_keys(webdriver.Keys.ESCAPE)
    page.execute_script("document.activeElement.blur()")
    # the pointer away from the text (it may rest on the quote just scrolled under it)
    roster = page.find_element("css selector", ".qc-roster h3")
    webdriver.ActionChains(page).move_to_element(roster).perform()
    other_card = other.find_element("css selector", ".qc-card")
    assert not other_card.is_displayed()
    webdriver.ActionChains(page).move_to_element(other).perform()
    assert other_card.is_displayed()
    assert record.cards[3].quote.kind in other_card.text.lower()


_NESTED_JS = """
const inner = document.querySelector('mark.qc-q[data-part-of][tabindex]');
const outer = inner.parentElement.closest('mark.qc-q');
outer.scrollIntoView({block: 'center'});
document.activeElement.blur();
const first = outer.getClientRects()[0];
const own = [first.left + 4, first.top + first.height / 2];  // the clause, not the fragment
const hit = document.elementFromPoint(own[0], own[1]);
const ir = inner.getClientRects(), or = outer.getClientRects();
return {inner: inner, outer: outer, own: own, ownHit: hit === outer,
        partOf: inner.dataset.partOf, outerCard: outer.dataset.card,
        innerBottom: ir[ir.length - 1].bottom, outerBottom: or[or.length - 1].bottom,
        label: getComputedStyle(outer, '::after').content};
"""


def _shown(page: Any, mark: Any) -> bool:
    return bool(
        page.execute_script(
            "return getComputedStyle(arguments[0].querySelector(':scope > .qc-card')).display"
            " !== 'none'",
            mark,
        )
    )


def test_partial_nested_in_indirect(page: Any, seed: tuple[str, DocumentRecord]) -> None:
    """Mixed speech: the quoted fragment inside the reported clause; each has its own card, by
    keyboard and by pointer, and only the one pointed at or focused shows."""
    _, record = seed
    assert any(c.part_of for c in record.cards), "the seed has mixed speech"
    found = page.execute_script(_NESTED_JS)
    inner, outer = found["inner"], found["outer"]
    assert found["partOf"] == found["outerCard"], "the fragment sits in its own clause"
    assert found["ownHit"], "the clause itself can be pointed at"
    # lighter: the clause is tinted, the fragment in it fully highlighted
    light = rgb(outer.value_of_css_property("background-color"))
    full = rgb(inner.value_of_css_property("background-color"))
    assert sum(light) > sum(full) and light != (255, 255, 255)
    assert outer.value_of_css_property("border-bottom-style") == "dotted"
    assert inner.value_of_css_property("border-bottom-style") == "dashed"
    assert found["innerBottom"] < found["outerBottom"], "the two underlines do not overlap"
    assert "indirect" in found["label"]
    # keyboard: the clause, then Tab to the fragment in it
    page.execute_script("arguments[0].focus()", outer)
    assert _shown(page, outer) and not _shown(page, inner)
    webdriver.ActionChains(page).send_keys(webdriver.Keys.TAB).perform()
    assert page.switch_to.active_element == inner
    assert _shown(page, inner) and not _shown(page, outer)
    assert "part of" in inner.find_element("css selector", ".qc-card").text.lower()
    page.execute_script("document.activeElement.blur()")
    # pointer: on the fragment, then on the clause around it
    webdriver.ActionChains(page).move_to_element(inner).perform()
    assert _shown(page, inner) and not _shown(page, outer)
    action = ActionBuilder(page)
    action.pointer_action.move_to_location(int(found["own"][0]), int(found["own"][1]))
    action.perform()
    assert _shown(page, outer) and not _shown(page, inner)
    card = outer.find_element("css selector", ":scope > .qc-card")
    assert card.is_displayed() and "indirect speech" in card.text.lower()


def test_highlight_colour_in_pixels(page: Any) -> None:
    mark = page.execute_script(
        "return Array.from(document.querySelectorAll('mark.qc-q[tabindex]'))"
        ".find(m => m.getClientRects().length === 1)"
    )
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    page.execute_script("document.activeElement.blur()")
    webdriver.ActionChains(page).move_by_offset(0, 0).perform()
    expected = rgb(mark.value_of_css_property("background-color"))
    width, height, pixels = png_pixels(mark.screenshot_as_png)
    assert width > 20 and height > 10

    def near(p: tuple[int, int, int]) -> bool:
        return all(abs(a - b) <= 6 for a, b in zip(p, expected, strict=True))

    share = sum(map(near, pixels)) / len(pixels)
    assert share > 0.4, f"{share:.0%} of the quote's pixels have its highlight colour"


def test_print_lists_cards_and_hides_tooltips(page: Any) -> None:
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    state = page.execute_script(
        """
        const m = document.querySelector('mark.qc-q[data-ref]');
        m.focus();
        return {card: getComputedStyle(m.querySelector('.qc-card')).display,
                ref: getComputedStyle(m, '::after').content,
                table: getComputedStyle(document.querySelector('.qc-cards-table')).display,
                roster: getComputedStyle(document.querySelector('.qc-roster')).display};
        """
    )
    assert state["card"] == "none"
    assert state["ref"].startswith('"[') and state["ref"].endswith(']"')
    assert state["table"] == "table" and state["roster"] != "none"
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_screenshot(page: Any, tmp_path: Path) -> None:
    """A screenshot of the Oval Office exchange and the mixed speech after it, the card of the
    partial quote nested in an indirect one open, as in docs/seed.png."""
    mark = page.find_element("css selector", "mark.qc-q[data-part-of][tabindex]")
    page.execute_script(
        "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -1100);"
        "arguments[0].focus({preventScroll: true});",
        mark,
    )
    assert mark.find_element("css selector", ".qc-card").is_displayed()
    shot = tmp_path / "seed.png"
    assert page.save_screenshot(str(shot))
    width, height, pixels = png_pixels(shot.read_bytes(), max_rows=800)
    assert (width, height) == (WIDTH, HEIGHT)
    colours = {
        rgb(m.value_of_css_property("background-color"))
        for m in page.find_elements("css selector", "mark.qc-q[tabindex]")
    }
    highlighted = sum(1 for p in pixels if p in colours)
    assert highlighted > 5000, "highlights are visible in the screenshot"
    if os.environ.get("QUOTES_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, ROOT / "docs" / "seed.png")
