"""The published HTML page in a real headless browser, the way a customer's phone shows it.

What only a browser can tell: every section and every anchor the rules cite exists and
is reachable (a link to it opens the rule's folded detail and scrolls it into view),
nothing is wider than a 375 px phone screen (with every detail open, too), and no serious
accessibility problem is found: by axe-core when a copy is at hand (``AXE_CORE_JS`` names
the file, or ``node_modules/axe-core`` or a Python package ships it), else by a small set
of equivalent checks (language, one ``<h1>``, heading order, table headers and names,
link and image text, unique ids, zoom allowed, text contrast).

The browser is Playwright's Chromium when the ``playwright`` package is installed and a
browser launches, else a system Chromium or Chrome driven from the command line (the page
runs the checks itself and the test reads them back from the dumped DOM). With neither,
the tests are skipped, saying what to install.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import os
import re
import shutil
import site
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from policylib.lang.nodes import Pack
from policylib.load import load_pack
from policylib.render.page import render_policy_page
from policylib.render.texts import TextRenderer
from tests import ROOT

PHONE_WIDTH = 375
PHONE_HEIGHT = 812
NO_BROWSER = (
    "no headless browser on this machine: install Playwright and run "
    "`playwright install chromium` (or install Chromium or Chrome)"
)
SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RESULT_ID = "page-browser-checks"

Result = dict[str, Any]
Runner = Callable[[Path, str], Result]
"""Opens a page file (with the checks injected) at a fragment, returns the checks' result."""

# The checks run inside the page; the result is kept in window.__pageChecks and in a
# hidden <pre> (the command-line browser can only hand back the DOM).
CHECKS_JS = r"""
(async () => {
  const expected = window.__pageExpected || [];
  const out = {width: innerWidth, hash: location.hash, initialOpen: [], missing: [],
               unreachable: [], overflow: [], problems: [], axe: null};
  out.initialOpen = [...document.querySelectorAll('details[open]')].map((d) => d.id);
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const go = (id) => new Promise((resolve) => {
    let settled = false;
    const done = () => {
      if (settled) { return; }
      settled = true;
      removeEventListener('hashchange', done);
      setTimeout(resolve, 0);
    };
    addEventListener('hashchange', done);
    history.replaceState(null, '', location.pathname + location.search);
    location.hash = encodeURIComponent(id);
    setTimeout(done, 1000);
  });
  const visible = (el) => {
    if (!el.getClientRects().length) { return false; }
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const inView = (el) => {
    const box = el.getBoundingClientRect();
    return box.top < innerHeight && box.bottom > 0;
  };
  const tooWide = (state) => {
    const width = document.documentElement.scrollWidth;
    if (width <= innerWidth) { return; }
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
      .slice(0, 5)
      .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''));
    out.overflow.push(state + ': ' + width + 'px wide (' + wide.join(', ') + ')');
  };
  const closeAll = () => document.querySelectorAll('details').forEach((d) => { d.open = false; });
  const openAll = () => document.querySelectorAll('details').forEach((d) => { d.open = true; });

  closeAll();
  tooWide('details closed');
  for (const id of expected) {
    const el = document.getElementById(id);
    if (!el) { out.missing.push(id); continue; }
    closeAll();
    await go(id);
    if (!visible(el) || (el.tagName === 'DETAILS' && !el.open)) {
      out.unreachable.push(id + ': not shown after following a link to it');
    } else if (!inView(el)) {
      out.unreachable.push(id + ': not scrolled into view');
    }
  }
  openAll();
  await wait(0);
  tooWide('details open');
  out.problems = basicChecks();
  if (window.axe) {
    const found = await window.axe.run(document, {resultTypes: ['violations']});
    out.axe = found.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.help + ' (' + v.nodes.length + ' elements, e.g. '
           + v.nodes[0].target.join(' ') + ')');
  }
  return out;

  function basicChecks() {
    const problems = [];
    if (!(document.documentElement.getAttribute('lang') || '').trim()) {
      problems.push('the page has no lang');
    }
    if (!document.title.trim()) { problems.push('the page has no title'); }
    const viewport = document.querySelector('meta[name="viewport"]');
    if (!viewport || /user-scalable\s*=\s*no|maximum-scale\s*=\s*1(\.0*)?\b/
        .test(viewport.content)) {
      problems.push('no viewport meta, or one that blocks zooming');
    }
    const ones = document.querySelectorAll('h1').length;
    if (ones !== 1) { problems.push(ones + ' h1 elements'); }
    let last = 0;
    for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      const level = Number(h.tagName[1]);
      if (last && level > last + 1) {
        problems.push('h' + level + ' right after h' + last + ': ' + h.textContent);
      }
      if (!h.textContent.trim()) { problems.push('an empty ' + h.tagName); }
      last = level;
    }
    for (const img of document.querySelectorAll('img:not([alt])')) {
      problems.push('an image without alt: ' + img.src);
    }
    for (const th of document.querySelectorAll('th')) {
      if (!['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope'))) {
        problems.push('a table header without scope: ' + th.textContent);
      }
    }
    for (const table of document.querySelectorAll('table')) {
      const named = table.getAttribute('aria-label') || table.getAttribute('aria-labelledby')
        || (table.caption && table.caption.textContent.trim());
      if (!named) { problems.push('a table without a caption or label'); }
    }
    for (const a of document.querySelectorAll('a[href]')) {
      if (!(a.textContent.trim() || a.getAttribute('aria-label'))) {
        problems.push('a link without text: ' + a.getAttribute('href'));
      }
      const href = a.getAttribute('href');
      if (href.startsWith('#')
          && !document.getElementById(decodeURIComponent(href.slice(1)))) {
        problems.push('a link to a missing id: ' + href);
      }
    }
    for (const s of document.querySelectorAll('summary')) {
      if (!s.textContent.trim()) { problems.push('a summary without text'); }
    }
    const seen = new Set();
    for (const e of document.querySelectorAll('[id]')) {
      if (seen.has(e.id)) { problems.push('a duplicate id: ' + e.id); }
      seen.add(e.id);
    }
    const texts = 'h1, h2, h3, p, li, a, th, td, summary, caption, nav';
    for (const el of document.querySelectorAll(texts)) {
      if (!visible(el) || !el.textContent.trim()) { continue; }
      const ratio = contrast(el);
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        problems.push('low contrast (' + ratio.toFixed(2) + ':1) on ' + el.tagName + ': '
                      + el.textContent.trim().slice(0, 40));
      }
    }
    return problems;
  }

  function rgba(text) {
    const parts = (text.match(/rgba?\(([^)]*)\)/) || [null, '0 0 0 0'])[1]
      .split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  }

  function luminance([r, g, b]) {
    const linear = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  }

  function contrast(el) {
    const fg = rgba(getComputedStyle(el).color);
    let bg = [255, 255, 255, 1];
    for (let e = el; e; e = e.parentElement) {
      const found = rgba(getComputedStyle(e).backgroundColor);
      if (found[3] > 0) { bg = found; break; }
    }
    const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  }
})().then(
  (out) => { finish(out); },
  (error) => { finish({error: String(error && error.stack || error)}); },
);

function finish(out) {
  window.__pageChecks = out;
  if (window.parent !== window) { window.parent.postMessage(JSON.stringify(out), '*'); }
}
"""

# A phone-sized frame around the page, for a browser whose window can't be that narrow
# (headless Chromium's is at least 500 px wide): the page's results come back by message
# and are kept in a hidden <pre> for the dumped DOM.
FRAME_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>frame</title>
<style>body{margin:0}iframe{border:0;width:%(width)dpx;height:%(height)dpx}</style></head>
<body><iframe title="page" src="%(src)s"></iframe><script>
addEventListener('message', (event) => {
  const pre = document.createElement('pre');
  pre.id = '%(result)s';
  pre.hidden = true;
  pre.textContent = event.data;
  document.body.appendChild(pre);
});
</script></body></html>
"""

# --------------------------------------------------------------------------- the browsers


def _axe_source() -> Path | None:
    """A local copy of axe-core (``axe.min.js``), if one is at hand; never downloaded."""
    named = os.environ.get("AXE_CORE_JS")
    if named and Path(named).is_file():
        return Path(named)
    for folder in (ROOT, Path.cwd()):
        found = folder / "node_modules" / "axe-core" / "axe.min.js"
        if found.is_file():
            return found
    for packages in {*site.getsitepackages(), site.getusersitepackages()}:
        for found in sorted(Path(packages).glob("axe*/**/axe.min.js")):
            return found
    return None


def _with_checks(page: str, expected: list[str], axe: Path | None) -> str:
    """The page with the checks (and axe-core) run after its own script."""
    data = json.dumps(expected).replace("<", "\\u003c")
    scripts = (f'<script src="{axe.name}"></script>' if axe else "") + (
        f"<script>window.__pageExpected = {data};</script><script>{CHECKS_JS}</script>"
    )
    assert page.count("</body>") == 1
    return page.replace("</body>", scripts + "</body>")


def _playwright_runner() -> Runner | None:
    """Playwright's Chromium, or a system Chromium through Playwright; None if neither
    launches."""
    if importlib.util.find_spec("playwright") is None:
        return None
    # optional: only imported where it is installed
    from playwright.sync_api import Error, sync_playwright

    def run(page: Path, fragment: str) -> Result:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch()
            except Error:
                system = _system_browser()
                if system is None:
                    raise
                browser = playwright.chromium.launch(executable_path=system)
            try:
                tab = browser.new_page(viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
                tab.goto(page.as_uri() + fragment)
                tab.wait_for_function("() => window.__pageChecks !== undefined", timeout=60_000)
                result: Result = tab.evaluate("() => window.__pageChecks")
                return result
            finally:
                browser.close()

    return run if _launches(run) else None


def _system_browser() -> str | None:
    for name in SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _command_line_runner() -> Runner | None:
    """A system Chromium or Chrome in headless mode, its DOM dumped once the checks ran."""
    binary = _system_browser()
    if binary is None:
        return None

    def run(page: Path, fragment: str) -> Result:
        frame = page.with_name(f"{page.stem}-frame.html")
        source = {"src": html.escape(page.name + fragment), "result": RESULT_ID}
        frame.write_text(
            FRAME_HTML % {**source, "width": PHONE_WIDTH, "height": PHONE_HEIGHT},
            encoding="utf-8",
        )
        with tempfile.TemporaryDirectory() as profile:
            done = subprocess.run(
                [
                    binary,
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--hide-scrollbars",
                    f"--user-data-dir={profile}",
                    f"--window-size={PHONE_WIDTH + 400},{PHONE_HEIGHT + 100}",
                    "--allow-file-access-from-files",
                    "--virtual-time-budget=60000",
                    "--dump-dom",
                    frame.as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
        found = re.search(rf'<pre id="{RESULT_ID}"[^>]*>(.*?)</pre>', done.stdout, re.S)
        if found is None:
            raise RuntimeError(f"the browser ran no checks: {done.stderr[-2000:]}")
        result: Result = json.loads(html.unescape(found.group(1)))
        return result

    return run if _launches(run) else None


def _launches(run: Runner) -> bool:
    """Whether the browser opens a trivial page and runs the checks in it."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "probe.html"
        probe = '<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body></body>'
        page.write_text(_with_checks(probe + "</html>", [], None), encoding="utf-8")
        try:
            return "width" in run(page, "")
        except Exception:  # any failure to start means "no browser here"
            return False


@functools.cache
def _runner() -> Runner | None:
    return _playwright_runner() or _command_line_runner()


@pytest.fixture(scope="module")
def browser() -> Runner:
    found = _runner()
    if found is None:
        pytest.skip(NO_BROWSER)
    return found


# --------------------------------------------------------------------------- the pages


@functools.cache
def _pack(name: str) -> Pack:
    return load_pack(ROOT / ("rules" if name == "hearth" else "examples/packs/voltaic"))


def _page(name: str, locale: str | None) -> str:
    pack = _pack(name)
    return render_policy_page(pack, "html", TextRenderer(pack, locale) if locale else None)


def _expected_ids(pack: Pack) -> list[str]:
    """Every id a link into the page may name: each section and each cited anchor."""
    anchors = [r.citation.anchor for r in pack.rules if r.citation.anchor]
    return list(dict.fromkeys([*pack.sections, *anchors]))


@pytest.fixture(scope="module")
def opened(browser: Runner, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opener]:
    """Opens a published page in the browser, once for each page and fragment."""
    folder = tmp_path_factory.mktemp("pages")
    axe = _axe_source()
    if axe is not None:
        shutil.copy(axe, folder / axe.name)
    seen: dict[tuple[str, str | None, str], Result] = {}

    def open_page(name: str, locale: str | None = None, fragment: str = "") -> Result:
        key = (name, locale, fragment)
        if key not in seen:
            target = folder / f"{name}-{locale or 'default'}.html"
            checked = _with_checks(_page(name, locale), _expected_ids(_pack(name)), axe)
            target.write_text(checked, encoding="utf-8")
            seen[key] = browser(target, fragment)
            assert "error" not in seen[key], seen[key].get("error")
        return seen[key]

    yield open_page


Opener = Callable[..., Result]

PAGES = [
    pytest.param("hearth", None, id="hearth-en"),
    pytest.param("hearth", "es_US", id="hearth-es"),
    pytest.param("voltaic", None, id="voltaic-en"),
]


@pytest.mark.parametrize(("name", "locale"), PAGES)
def test_every_section_and_cited_anchor_is_shown_when_linked(
    opened: Opener, name: str, locale: str | None
) -> None:
    result = opened(name, locale)
    assert result["missing"] == []
    assert result["unreachable"] == []


@pytest.mark.parametrize(("name", "locale"), PAGES)
def test_nothing_is_wider_than_a_phone_screen(
    opened: Opener, name: str, locale: str | None
) -> None:
    result = opened(name, locale)
    assert result["width"] == PHONE_WIDTH, "the browser's viewport is not a phone's"
    assert result["overflow"] == []


@pytest.mark.parametrize(("name", "locale"), PAGES)
def test_no_serious_accessibility_problem(opened: Opener, name: str, locale: str | None) -> None:
    result = opened(name, locale)
    assert result["problems"] == []
    if result["axe"] is not None:  # axe-core was at hand
        assert result["axe"] == []


def test_a_link_to_a_shared_anchor_opens_every_rule_citing_it(opened: Opener) -> None:
    pack = _pack("hearth")
    counts: dict[str, int] = {}
    for rule in pack.rules:
        if rule.citation.anchor:
            counts[rule.citation.anchor] = counts.get(rule.citation.anchor, 0) + 1
    shared = next(anchor for anchor, count in counts.items() if count > 1)
    page = _page("hearth", None)
    citing = re.findall(rf'<details id="([^"]+)" data-cites="{re.escape(shared)}">', page)
    assert len(citing) == counts[shared]
    result = opened("hearth", None, f"#{shared}")
    assert result["hash"] == f"#{shared}"
    assert set(citing) <= set(result["initialOpen"])
