"""The self-contained offline HTML export, on the bundled real data."""

from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.report.export import DEFAULT_MAX_BYTES, PAGE_SIZE, export_html
from tests.conftest import raw_column_pipeline

HOSTILE_COLUMN = "<img src=x onerror=alert(1)>"
HOSTILE_VALUE = "</script><script>alert(1)</script>"
HOSTILE_IMG_VALUE = '<img src=x onerror="alert(2)">'


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._in_script = attributes
            self.scripts.append((attributes, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def parse(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


def assert_self_contained(text: str) -> _Tags:
    """No external URL of any kind: nothing the browser could fetch."""
    lowered = text.lower()
    assert "<link" not in lowered
    assert "@import" not in lowered
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", lowered)
    assert not re.search(r"""\b(src|href|srcset|action|data)\s*=\s*["']?\s*(https?:)?//""", lowered)
    assert "http://" not in lowered and "https://" not in lowered  # not even an SVG xmlns
    tags = parse(text)
    for tag, attributes in tags.tags:
        assert tag not in {"link", "iframe", "object", "embed", "base", "img"}, tag
        for name in ("src", "href", "srcset", "action", "formaction", "poster"):
            value = (attributes.get(name) or "").strip()
            assert not value or value.startswith("#"), (tag, name, value)
    # exactly the two scripts of the file: its data (JSON) and its own code, neither by URL
    assert [a.get("type") for a, _ in tags.scripts] == ["application/json", None]
    assert all("src" not in a for a, _ in tags.scripts)
    return tags


def data_of(text: str) -> dict:
    tags = parse(text)
    (payload,) = [body for a, body in tags.scripts if a.get("type") == "application/json"]
    return json.loads(payload)


def read(path) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def adult_export(adult_session, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "adult.html"
    return adult_session.to_html(path), path


def test_adult_export_is_one_self_contained_file_within_budget(adult_export, adult):
    result, path = adult_export
    assert result.path == path
    assert result.n_bytes == os.path.getsize(path) <= result.max_bytes == DEFAULT_MAX_BYTES
    text = read(path)
    tags = assert_self_contained(text)
    # a Content-Security-Policy forbids anything the file does not carry itself
    (csp,) = [
        a["content"]
        for t, a in tags.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    # every row of every slice of the first sensitive feature fits the default budget
    assert result.by == "sex" and not result.capped and result.row_cap is None
    n = len(adult.data)
    assert result.rows_total == {"all rows": n, "Female": 16192, "Male": 32650}
    assert result.rows_included == result.rows_total
    assert set(result.views) == {"audit", "examples", "explanation", "fairness", "uncertainty"}
    for section in ("audit", "slices", "fairness", "uncertainty", "explanation", "about"):
        assert f'id="{section}"' in text
    assert text.count("<svg") >= 4  # the views' charts, inline
    data = data_of(text)
    assert data["page_size"] == PAGE_SIZE == 25
    assert data["slices"][0]["first"] == n
    assert [len(s["rows"]) for s in data["slices"][1:]] == [16192, 32650]
    assert len(data["codes"]) == len(data["columns"]) and all(len(c) == n for c in data["codes"])
    assert "Wrote adult.html (" in repr(result) and "of a 10 MB budget)" in repr(result)
    assert "of a 10 MB budget" in result._repr_html_()
    # a file has sections, not tabs, and its audit section is headed once
    assert 'class="rai-audit-title"' not in text  # the section's heading is the only one
    assert "names the tab" not in text and "each names the section with its evidence" in text
    # the explained row's counterfactuals, in the explanation section
    explained = text[text.index('id="explanation"') :]
    assert "What would change it?" in explained and "the model would say" in explained


def test_adult_export_metrics_lines_match_the_session(adult_export, adult_session):
    _, path = adult_export
    data = data_of(read(path))
    table = adult_session.slice_metrics(by="sex", metrics=["accuracy"])
    for entry, (label, row) in zip(data["slices"][1:], table.iterrows(), strict=True):
        assert entry["metrics"].startswith(f"{int(row['n']):,} rows · accuracy ")
        assert f"{row['accuracy']:.1%}" in entry["metrics"]
        assert f"{row['accuracy_lo']:.1%} to {row['accuracy_hi']:.1%}" in entry["metrics"]
        assert "All " in entry["note"] and label not in ("", None)


def test_rows_are_ordered_informative_first(adult_export, adult_session):
    _, path = adult_export
    data = data_of(read(path))
    preds = adult_session.predictions()
    wrong = np.asarray(data["wrong"], dtype=bool)
    n_wrong = int((~preds["correct"]).sum())
    assert wrong[:n_wrong].all() and not wrong[n_wrong:].any()
    headers = [c["values"] for c in data["columns"]]
    row_labels = [headers[0][code] for code in data["codes"][0][:5]]
    expected = (
        preds[~preds["correct"]].sort_values("confidence", ascending=False, kind="stable").index[:5]
    )
    assert row_labels == [str(label) for label in expected]


def test_small_budget_caps_rows_per_slice_and_says_so(adult_session, tmp_path):
    path = tmp_path / "small.html"
    result = export_html(adult_session, path, views=["examples"], by="race", max_bytes=400_000)
    text = read(path)
    assert_self_contained(text)
    assert result.n_bytes == os.path.getsize(path) <= 400_000
    assert result.capped and 0 < result.row_cap < len(adult_session.X)
    cap = result.row_cap
    for label, total in result.rows_total.items():
        assert result.rows_included[label] == min(cap, total)
    # the file says it, visibly, where the rows are shown (the first slice: all rows)
    note = (
        f"Showing the first {cap:,} of {len(adult_session.X):,} rows of this slice "
        "(export budget 0.4 MB)"
    )
    assert note in text
    assert f"keeps at most {cap:,} rows per slice" in text
    data = data_of(text)
    white = result.rows_total["White"]
    notes = {s["metrics"].split(" rows")[0]: s["note"] for s in data["slices"]}
    assert notes[f"{white:,}"].startswith(f"Showing the first {cap:,} of {white:,} rows")
    small = [s for s in data["slices"] if not s["capped"]]
    assert small and all(s["note"].startswith("All ") for s in small)
    assert "capped at" in repr(result) and result.order.startswith("wrong predictions first")
    # the cap is the largest that fits: one more row per slice would not
    assert result.n_bytes > 400_000 * 0.9


def test_budget_too_small_for_the_fixed_parts_raises(adult_session, tmp_path):
    path = tmp_path / "never.html"
    with pytest.raises(rw.ValidationError, match=r"max_bytes=20,000 .*too small") as info:
        export_html(adult_session, path, max_bytes=20_000)
    message = str(info.value)
    assert (
        "views=(" in message and "explanation" in message and "set max_bytes to at least" in message
    )
    assert not path.exists()
    assert not list(tmp_path.iterdir())  # no temporary file left behind either


def test_views_subset_and_unknown_view(adult_session, tmp_path):
    result = export_html(adult_session, tmp_path / "fair.html", views=["fairness"])
    text = read(tmp_path / "fair.html")
    assert_self_contained(text)
    assert result.views == ("fairness",)
    assert 'id="fairness"' in text and 'id="uncertainty"' not in text
    assert 'id="explanation"' not in text and 'id="rai-rows"' not in text
    assert 'id="rai-slice"' in text and "Female (16,192 rows)" in text  # slices stay
    assert result.rows_included == {"all rows": 0, "Female": 0, "Male": 0}
    assert result.rows_total["Male"] == 32650
    with pytest.raises(rw.ValidationError, match="unknown view 'shap'"):
        export_html(adult_session, tmp_path / "bad.html", views=["examples", "shap"])
    with pytest.raises(rw.ValidationError, match="max_bytes"):
        export_html(adult_session, tmp_path / "bad.html", max_bytes=0)
    with pytest.raises(rw.ValidationError, match="does not exist"):
        export_html(adult_session, tmp_path / "no" / "such" / "dir.html")
    with pytest.raises(rw.ColumnNotFoundError, match="rcae"):
        export_html(adult_session, tmp_path / "bad.html", by="rcae")
    with pytest.raises(rw.ValidationError, match="ModelSession or Dashboard"):
        export_html(object(), tmp_path / "bad.html")
    assert not (tmp_path / "bad.html").exists()


def make_hostile_session(wage) -> rw.ModelSession:
    """Wage with a hostile column name and hostile category values; binary high-wage task."""
    X = wage.data[["age", "year", "education", "race"]].copy()
    codes = X["race"].astype("category").cat.codes.to_numpy()
    X[HOSTILE_COLUMN] = np.where(codes % 2 == 0, HOSTILE_VALUE, HOSTILE_IMG_VALUE)
    X["education"] = X["education"].where(X["education"] != "2. HS Grad", HOSTILE_VALUE)
    X = X.drop(columns=["race"])
    y = np.where(wage.target > wage.target.median(), "high & <u class=rai-evil>", "low")
    model = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(X, y)
    return rw.ModelSession(
        model, X, y, sensitive_features=[HOSTILE_COLUMN], name=HOSTILE_VALUE, random_state=0
    )


@pytest.fixture(scope="module")
def hostile_session(wage):
    return make_hostile_session(wage)


def test_hostile_names_and_values_are_escaped(hostile_session, tmp_path):
    path = tmp_path / "hostile.html"
    result = hostile_session.to_html(path)
    text = read(path)
    assert_self_contained(text)
    for raw in (HOSTILE_COLUMN, HOSTILE_VALUE, HOSTILE_IMG_VALUE, "<u class=rai-evil>"):
        assert raw not in text
    assert "<img" not in text.lower()
    assert text.lower().count("<script") == 2 and text.lower().count("</script") == 2
    assert "&lt;img src=x onerror=alert(1)&gt;" in text  # shown as text: the picker's label
    # the JSON round-trips to the very same strings: escaped for HTML, intact as data
    data = data_of(text)
    values = {v for column in data["columns"] for v in column["values"]}
    assert {HOSTILE_VALUE, HOSTILE_IMG_VALUE, "high & <u class=rai-evil>"} <= values
    assert set(result.rows_total) == {"all rows", HOSTILE_VALUE, HOSTILE_IMG_VALUE}
    assert result.by == HOSTILE_COLUMN and not result.problems


def test_regression_export(wage, wage_model, tmp_path):
    s = rw.ModelSession(
        wage_model, wage.data, wage.target, sensitive_features=["race"], random_state=0
    )
    result = s.to_html(tmp_path / "wage.html")
    text = read(tmp_path / "wage.html")
    assert_self_contained(text)
    assert result.n_bytes == os.path.getsize(tmp_path / "wage.html") and not result.capped
    assert result.rows_total["all rows"] == 3000 and result.rows_total["1. White"] == 2480
    assert result.order == "largest errors first"
    assert "error (actual − prediction)" in text and "mean absolute error" in text
    data = data_of(text)
    assert data["wrong"] is None
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', text)
    years = data["columns"][headers.index("year")]["values"]
    assert sorted(years) == [str(y) for y in range(2003, 2010)]  # not "2,003"
    errors = np.abs(s.predictions()["residual"].to_numpy())
    first = data["columns"][0]["values"][data["codes"][0][0]]
    assert first == str(s.X.index[int(np.argmax(errors))])


def test_multiclass_exports(wage_education, iris_model, tmp_path):
    model, X, y = wage_education
    s = rw.ModelSession(model, X, y, sensitive_features=["race"], random_state=0)
    result = s.to_html(tmp_path / "education.html", views=["examples", "fairness"])
    assert_self_contained(read(tmp_path / "education.html"))
    assert result.rows_included == result.rows_total and len(result.rows_total) == 5
    # integer labels on an ndarray, no sensitive feature: only "all rows"
    model, X, y = iris_model
    s = rw.ModelSession(model, X, y, random_state=0)
    result = s.to_html(tmp_path / "iris.html", views=["examples", "uncertainty"])
    text = read(tmp_path / "iris.html")
    assert_self_contained(text)
    assert result.rows_total == {"all rows": 150} and result.by is None
    assert "multiclass classification" in text and "Does the model mean" in text


def test_presenter_mode_and_title(adult_session, tmp_path):
    path = tmp_path / "talk.html"
    export_html(
        adult_session, path, views=["examples"], presenter=True, title="Income <model> review"
    )
    text = read(path)
    assert '<body class="rai-presenter">' in text
    assert '<th scope="col" class="rai-tech">row</th>' in text
    assert "body.rai-presenter .rai-tech { display: none; }" in text
    assert "<title>Income &lt;model&gt; review</title>" in text
    with pytest.raises(rw.ValidationError, match="presenter"):
        export_html(adult_session, path, presenter="yes")


def test_write_is_atomic_and_replaces(adult_session, tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old")
    result = export_html(adult_session, path, views=["examples"], by=["sex", "race"])
    assert read(path).startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert result.by == "sex & race" and "Female & White" in result.rows_total


def test_dashboard_like_object_exports_its_session(adult_session, tmp_path):
    class FakeDashboard:
        session = adult_session
        by = "race"

    result = export_html(FakeDashboard(), tmp_path / "dash.html", views=["examples"])
    assert result.by == "race" and "Black" in result.rows_total


def test_dashboard_to_html(adult_session, tmp_path):
    dashboard = rw.Dashboard(adult_session, presenter=True)
    path = tmp_path / "dashboard.html"
    result = dashboard.to_html(path, views=["examples"], by="race")
    assert result.n_bytes == os.path.getsize(path) and "Black" in result.rows_total
    assert '<body class="rai-presenter">' in read(path)


def test_missing_values_form_a_slice_and_metrics_follow_the_slices(adult_session, tmp_path):
    path = tmp_path / "workclass.html"
    result = export_html(adult_session, path, views=["examples"], by="workclass")
    n_missing = int(adult_session.X["workclass"].isna().sum())
    assert n_missing > 0 and result.rows_total["missing"] == n_missing
    sizes = adult_session.core.slices("workclass").sizes.tolist()
    data = data_of(read(path))
    shown = [int(s["metrics"].split(" row")[0].replace(",", "")) for s in data["slices"]]
    assert shown == [len(adult_session.X), *sizes]
    assert [len(s["rows"]) for s in data["slices"][1:]] == sizes


def test_the_export_leads_with_the_audit(adult_export, adult_session):
    _, path = adult_export
    text = read(path)
    audit = adult_session.audit().frame()
    # what to look at first comes before the slices, in the page and in its navigation
    assert text.index('id="audit"') < text.index('id="slices"') < text.index('id="fairness"')
    nav = re.search(r'<nav class="rai-x-nav">(.*?)</nav>', text).group(1)
    assert nav.index("#audit") < nav.index("#slices")
    assert "What to look at first" in text
    concerns = audit[audit["severity"] == "concern"]
    assert f"Concerns ({len(concerns)})" in text
    for sentence in concerns["finding"].head(3):
        assert html.escape(sentence, quote=True) in text
    # the evidence is named as the file's own sections, not the dashboard's tabs
    assert "See Fairness, for" in text and "See Fairness by group" not in text
    assert "What passed (" in text


def test_an_export_without_the_audit(adult_session, tmp_path):
    result = export_html(adult_session, tmp_path / "no-audit.html", views=["fairness"])
    text = read(result.path)
    assert result.views == ("fairness",)
    assert 'id="audit"' not in text and "What to look at first" not in text
