"""Nothing is cut, nothing runs off the edge, and presenter mode enlarges everything: the
Dashboard for four kinds of model (binary pipeline, multiclass forest, regression with a unit,
LightGBM on category columns) and the ComparisonView of two models, in a real JupyterLab, in
normal and presenter mode, every tab visited.

On every page two checks run in the browser (``_OFFENDERS``):

* no element with visible text is cut: an element whose content is wider (or taller) than its
  box while its overflow is hidden/clip or it ends in an ellipsis, and no SVG text running past
  its chart's edge;
* no table or chart overflows its container: a table (or SVG chart) whose right edge is beyond
  the right edge of an ancestor (inside the view) with no horizontal scroll wrapper in between.

A screenshot per model kind, tab and mode goes to
``test-artifacts/screenshots/readability_<kind>_<tab>[_presenter].png``.
"""

from __future__ import annotations

import re

import pytest

from rai_widgets.static_html.dashboard import TABS
from tests.browser.helpers import (
    ADULT_SESSION,
    expect,
    run_notebook_in_lab,
    save_tall_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

# Choose a case whose LIME fit is weak, so the explanation shows its warning.
WEAK_CASE = """
from rai_widgets.display.explanation import AgreementDisplay
board = rw.Dashboard(session)
seed = board.explanation.seed
weak = next(r for r in session.X.index[:60]
            if AgreementDisplay.from_session(session, r, random_state=seed).warning())
board.selected_row = weak
board
"""

BINARY = ADULT_SESSION + WEAK_CASE

MULTICLASS = (
    """\
import rai_widgets as rw
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier

wine = load_wine(as_frame=True)
X, y = wine.data, wine.target.map(dict(enumerate(wine.target_names)))
strength = X["alcohol"].gt(13).map({True: "strong wine", False: "light wine"}).rename("strength")
model = RandomForestClassifier(n_estimators=50, random_state=0).fit(X, y)
session = rw.ModelSession(model, X, y, sensitive_features=strength, random_state=0)
"""
    + WEAK_CASE
)

REGRESSION = (
    """\
import rai_widgets as rw
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

data = rw.datasets.load_wage()
X, y = data.data, data.target
encode = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False),
     make_column_selector(dtype_exclude="number")),
    remainder="passthrough",
)
model = make_pipeline(encode, HistGradientBoostingRegressor(max_iter=60, random_state=0))
model.fit(X, y)
session = rw.ModelSession(model, X, y, sensitive_features=["race", "maritl"], random_state=0,
                          target_unit="thousand dollars")
"""
    + WEAK_CASE
)

LIGHTGBM = (
    """\
import rai_widgets as rw
from lightgbm import LGBMClassifier

data = rw.datasets.load_adult()
X, y = data.data.iloc[:6000].copy(), data.target.iloc[:6000]
for column in X.columns:
    if not X[column].dtype.kind in "if":
        X[column] = X[column].astype("category")
model = LGBMClassifier(n_estimators=50, verbose=-1).fit(X, y)
session = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)
"""
    + WEAK_CASE
)

COMPARISON = (
    ADULT_SESSION
    + """\
from sklearn.linear_model import LogisticRegression
simple = make_pipeline(encode, LogisticRegression(max_iter=500)).fit(X, y)
v1 = rw.ModelSession(simple, X, y, sensitive_features=["sex", "race"], name="v1-logistic")
v2 = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], name="v2-boosting")
view = rw.ComparisonView(v1, v2, by="race")
view
"""
)

DASHBOARDS = {
    "binary": BINARY,
    "multiclass": MULTICLASS,
    "regression": REGRESSION,
    "lightgbm": LIGHTGBM,
}

# Offenders inside ``root``: elements whose text is cut, SVG text past its chart's edge, and
# tables wider than their container without a scroll wrapper.
_OFFENDERS = r"""
(root) => {
  const shown = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const ownText = (el) => Array.from(el.childNodes)
    .filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
  const clips = (value) => value === 'hidden' || value === 'clip';
  const out = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.closest('svg') || !shown(el)) continue;
    const text = (el.innerText || '').trim();
    if (!text) continue;
    const style = getComputedStyle(el);
    const wide = el.scrollWidth > el.clientWidth + 1;
    const tall = el.scrollHeight > el.clientHeight + 1;
    // an ellipsis cuts the element's own text; hidden overflow cuts its own text or a child's
    const ellipsis = style.textOverflow === 'ellipsis' && ownText(el) && wide;
    const cutX = clips(style.overflowX) && wide;
    const cutY = clips(style.overflowY) && tall && ownText(el);
    if (ellipsis || cutX || cutY) {
      out.push({kind: 'cut text', text: text.slice(0, 120), cls: String(el.className),
                scroll: [el.scrollWidth, el.scrollHeight], box: [el.clientWidth, el.clientHeight]});
    }
  }
  for (const svg of root.querySelectorAll('svg')) {
    if (!shown(svg)) continue;
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!r.width) continue;
      if (r.right > box.right + 1 || r.left < box.left - 1) {
        out.push({kind: 'svg text past the edge', text: t.textContent.slice(0, 120),
                  over: Math.round(Math.max(r.right - box.right, box.left - r.left))});
      }
    }
  }
  for (const wide of root.querySelectorAll('table, svg')) {
    if (!shown(wide) || (wide.tagName === 'svg' && wide.parentElement.closest('svg'))) continue;
    const right = wide.getBoundingClientRect().right;
    for (let up = wide.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') break;
      if (right > up.getBoundingClientRect().right + 1) {
        const what = wide.tagName === 'svg' ? 'chart' : 'table';
        out.push({kind: `${what} overflows`,
                  text: (wide.textContent || '').replace(/\s+/g, ' ').slice(0, 80),
                  container: String(up.className), over: Math.round(
                    right - up.getBoundingClientRect().right)});
        break;
      }
      if (up === root) break;
    }
  }
  return out;
}
"""

# Font size of a tab label and of the line saying what every view follows.
_SIZES = """
(root) => {
  const px = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : null;
  return {
    tab: px(root.querySelector('.lm-TabBar-tab .lm-TabBar-tabLabel')),
    following: px(root.querySelector('.rai-dashboard-following .widget-html-content')
                  || root.querySelector('.rai-dashboard-following')),
  };
}
"""


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _check(page, root: str, where: str) -> list[str]:
    """The offenders of ``root`` (a CSS selector), as readable lines."""
    found = page.evaluate(_OFFENDERS, page.locator(root).first.element_handle())
    return [f"{where}: {item}" for item in found]


def _open_tab(page, board, title: str) -> None:
    board.locator(".rai-dashboard-tabs > .lm-TabBar .lm-TabBar-tab", has_text=title).click()
    panel = board.locator(".rai-dashboard-tabs > .widget-tab-contents > :not(.lm-mod-hidden)")
    expect(panel).to_have_count(1)
    expect(panel.locator(".rai-dashboard-pending")).to_have_count(0)
    if title == TABS[2]:  # the explanation: its chart and the weak-fit warning
        expect(panel.locator(".rai-waterfall svg")).to_be_visible()
        expect(panel.locator(".rai-lime-warning")).to_be_visible()
    else:
        expect(panel).to_be_visible()


def _inner_tabs(page, board, kind: str, suffix: str, problems: list[str]) -> None:
    """The explanation's own tabs ("Across slices", "One feature") once they are drawn."""
    for title, chart in (
        ("Across slices", ".rai-importance svg"),
        ("One feature", ".rai-dependence svg"),
    ):
        board.locator(".rai-explanation-tabs .lm-TabBar-tab", has_text=title).click()
        expect(board.locator(chart)).to_be_visible(timeout=90_000)
        problems += _check(page, ".rai-dashboard", f"{kind} {title}{suffix}")
        save_tall_screenshot(
            page, f"readability_{kind}_{_slug(title)}{suffix}", element=".rai-dashboard"
        )
    board.locator(".rai-explanation-tabs .lm-TabBar-tab", has_text="This case").click()


@pytest.mark.parametrize("kind", list(DASHBOARDS))
def test_dashboard_is_readable(page, page_log, jupyterlab_server, notebook_dir, kind):
    path = write_notebook(notebook_dir, f"readability_{kind}.ipynb", DASHBOARDS[kind])
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=300)
    board = page.locator(".rai-dashboard").first
    expect(board.locator(".rai-dashboard-following")).to_contain_text("case")
    problems: list[str] = []
    sizes = {}
    for presenter in (False, True):
        suffix = "_presenter" if presenter else ""
        if presenter:
            board.locator(".rai-presenter-toggle input").check()
            expect(page.locator(".rai-dashboard.rai-presenter")).to_be_visible()
        sizes[presenter] = page.evaluate(_SIZES, board.element_handle())
        for title in TABS:
            _open_tab(page, board, title)
            problems += _check(page, ".rai-dashboard", f"{kind} {title}{suffix}")
            save_tall_screenshot(
                page, f"readability_{kind}_{_slug(title)}{suffix}", element=".rai-dashboard"
            )
            if title == TABS[2]:
                text = board.locator(".rai-lime-warning").inner_text()
                if presenter:  # plain words, no jargon
                    assert "LIME" not in text and "R²" not in text, text
                else:
                    assert "LIME" in text and "local fit" in text, text
                if kind == "binary":
                    _inner_tabs(page, board, kind, suffix, problems)
    # presenter mode enlarges the tab labels and the status line too
    assert sizes[True]["tab"] > sizes[False]["tab"], sizes
    assert sizes[True]["following"] > sizes[False]["following"], sizes
    assert not problems, "cut or overflowing:\n" + "\n".join(problems)
    page_log.assert_clean()


def test_comparison_is_readable(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "readability_comparison.ipynb", COMPARISON)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=300)
    view = page.locator(".rai-comparison-view").first
    expect(view.locator(".rai-comparison-rows")).to_contain_text("Where they disagree")
    problems = _check(page, ".rai-comparison-view", "comparison")
    # the disagreement table: text left-aligned, inside a horizontal scroll wrapper
    align = page.evaluate(
        """(root) => {
          const table = root.querySelector('.rai-comparison-rows table');
          const head = Array.from(table.querySelectorAll('th')).map((th) => th.innerText);
          const first = table.querySelectorAll('tr')[1];
          const cells = Array.from(first.querySelectorAll('td'));
          let up = table.parentElement;
          while (up && !['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) {
            up = up.parentElement;
          }
          return {head, cells: cells.map((td) => [td.innerText, getComputedStyle(td).textAlign]),
                  scroll: up ? String(up.className) : null};
        }""",
        view.element_handle(),
    )
    assert "rai-scroll" in (align["scroll"] or ""), align
    for text, how in align["cells"]:
        if not re.fullmatch(r"[-+−]?[\d.,]+\s*(%|pp)?", text.strip()):
            assert how in ("left", "start"), (text, how)
    save_tall_screenshot(page, "readability_comparison_view", element=".rai-comparison-view")
    view.locator(".rai-presenter-toggle input").check()
    expect(page.locator(".rai-comparison-view.rai-presenter")).to_be_visible()
    problems += _check(page, ".rai-comparison-view", "comparison presenter")
    save_tall_screenshot(
        page, "readability_comparison_view_presenter", element=".rai-comparison-view"
    )
    assert not problems, "cut or overflowing:\n" + "\n".join(problems)
    page_log.assert_clean()
