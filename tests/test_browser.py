"""The reports in a real browser: links work, Chinese headings and quotes show, and a scraped
document's <script> or onerror= appears as text and never runs.

Needs headless Chromium (Debian's package; .ci/run installs it) and Python Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import HOSTILE_TEXT, SEEDS

from analysis.build import build

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip(
            "headless Chromium is not installed (apt-get install chromium; .ci/run does it)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Python Playwright is not installed (make venv installs it)"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("001_1d9d22600e33a21a.txt", "004_cb3ad1cbd5a87f3c.txt"):
        shutil.copy(SEEDS / name, corpus / name)
    (corpus / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    out = root / "reports"
    result = build(corpus, out, quiet=True)
    assert result.ok, result.failed
    return out


def open_page(browser, url: str):
    page = browser.new_page()
    events: list[str] = []
    page.on("pageerror", lambda e: events.append(f"error: {e}"))
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    return page, events


def test_index_links_to_every_report_and_they_open(browser, site, tmp_path):
    page, events = open_page(browser, (site / "index.html").as_uri())
    assert "工会工作报告数据" in page.inner_text("h1")
    links = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) == len(list(site.glob("*.html"))) - 1
    page.click("text=主题 集体协商 Collective bargaining")
    page.wait_for_load_state()
    assert page.url.endswith("theme-bargaining.html")
    assert page.locator("h1", has_text="主题报告: 集体协商").count() == 1
    assert page.locator("q.evidence mark").count() > 0
    assert "≥46000人" in page.inner_text("body")
    page.screenshot(path=str(tmp_path / "theme-bargaining.png"), full_page=True)
    assert (tmp_path / "theme-bargaining.png").stat().st_size > 10_000
    for href in links:
        page.goto((site / href).as_uri())
        assert page.locator("h1").count() >= 1, href
    assert events == []


def test_scraped_script_is_shown_as_text_and_never_runs(browser, site):
    reports = [p for p in site.glob("*.html") if "window.__pwned" in p.read_text(encoding="utf-8")]
    assert reports  # the hostile text reached some reports (as text)
    for path in reports:
        page, events = open_page(browser, path.as_uri())
        assert page.evaluate("typeof window.__pwned") == "undefined", path.name
        text = page.inner_text("body")
        assert "<script>window.__pwned" in text or 'onerror="window.__pwned' in text, (
            path.name
        )  # shown as text
        assert page.locator("script").count() == 0 and page.locator("img[onerror]").count() == 0
        assert events == [], path.name


@pytest.fixture(scope="module")
def multiyear_site(tmp_path_factory) -> Path:
    from conftest import DATA

    out = tmp_path_factory.mktemp("multiyear-site") / "reports"
    result = build(DATA / "multiyear", out, quiet=True)
    assert result.ok, result.failed
    return out


def test_over_time_attainment_and_flags_open(browser, multiyear_site):
    page, events = open_page(browser, (multiyear_site / "theme-membership.html").as_uri())
    body = page.inner_text("body")
    assert "随时间变化 Over time" in body and "目标达成 Targets against results" in body
    assert "未达成 not met" in body and page.locator("figure img").count() >= 1
    page.goto((multiyear_site / "overview.html").as_uri())
    assert "存疑数据 Figures to check" in page.inner_text("body")
    assert page.locator("text=parts exceed whole").count() >= 1
    assert events == []


def test_a_fact_table_fits_a_1280_pixel_window(browser, multiyear_site, site):
    """Quotes wrap in their own wide column: no report scrolls sideways at 1280 pixels."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    regions = sorted(multiyear_site.glob("region-*.html"))
    for path in [multiyear_site / "theme-membership.html", multiyear_site / "overview.html",
                 regions[0], site / "theme-bargaining.html"]:  # fmt: skip
        page.goto(path.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, (path.name, width)


def test_the_original_wording_is_folded(browser, site):
    page, _ = open_page(browser, (site / "theme-membership.html").as_uri())
    folded = page.locator("details.original")
    assert folded.count() > 0  # 001 is in Traditional characters: its quotes have an original
    assert page.locator("details.original[open]").count() == 0
    folded.first.locator("summary").click()
    assert "會" in folded.first.inner_text()


def test_chinese_text_is_drawn_in_glyphs_not_boxes(browser, multiyear_site):
    """Two different strings of the same length look the same only when every character is a
    missing-glyph box: the screenshots of their glyphs must differ."""
    page, _ = open_page(browser, (multiyear_site / "theme-membership.html").as_uri())
    shots = []
    for text in ("会员总数", "集体合同"):
        page.evaluate(
            """t => { const s = document.createElement('span'); s.id = 'probe';
                      s.style.cssText = 'font-size:40px;position:fixed;top:0;left:0;background:#fff';
                      s.textContent = t; document.getElementById('probe')?.remove();
                      document.body.appendChild(s); }""",
            text,
        )
        shots.append(page.locator("#probe").screenshot())
    assert shots[0] != shots[1]
