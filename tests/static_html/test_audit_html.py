"""The audit's static picture: concerns, then notes, then what passed (collapsed), escaped."""

from __future__ import annotations

import re

import pytest

from rai_widgets.compute.audit import Audit, Finding
from rai_widgets.static_html import audit as static
from rai_widgets.static_html import dashboard

EVIL = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture(scope="module")
def hostile_audit():
    findings = [
        Finding("baseline", "ok", "Right for 88% of rows, against 76%.", estimate=0.12, n=900,
                view="fairness"),
        Finding("disparity", "concern", f"Accuracy for {EVIL}: 61% against 88% (-27 pts).",
                estimate=-0.27, lo=-0.31, hi=-0.2, n=120, slice={EVIL: EVIL}, feature=EVIL,
                view="fairness"),
        Finding("coverage", "concern", "Sets hold the truth 84% of the time for sex = Male.",
                estimate=-0.06, n=400, slice={"sex": "Male"}, view="uncertainty"),
        Finding("data_gap", "note", "Not checked: </li><script>alert(2)</script>.",
                view="audit"),
    ]  # fmt: skip
    return Audit(findings=findings, checks=("baseline", "disparity"), alpha=0.05)


class _Session:
    """The one method the audit's view asks of a session."""

    def __init__(self, audit):
        self._audit = audit

    def audit(self):
        return self._audit


def test_concerns_first_then_notes_then_what_passed(hostile_audit):
    page = static.view_html(_Session(hostile_audit))
    assert page.startswith('<div class="rai-audit">')  # the stylesheet is the page's
    title = page.index("What to look at first")
    concerns, notes = page.index("Concerns (2)"), page.index("Worth a look (1)")
    passed = page.index("<details")
    assert title < concerns < notes < passed
    assert "<summary>What passed (1)</summary>" in page
    # the largest concern first, with its numbers; each names the tab with its evidence
    assert page.index("-27 pts") < page.index("84% of the time")
    assert f"See Fairness by group, for {ESCAPED} = {ESCAPED} (120 rows)" in page
    assert "See How sure, for sex = Male (400 rows)" in page
    assert "2 concerns, 1 note, 0 the data cannot tell yet and 1 check passed" in page
    assert "<b>Gap between groups.</b>" in page and "<b>Prediction sets.</b>" in page


def test_every_value_from_data_is_escaped(hostile_audit):
    page = static.view_html(_Session(hostile_audit))
    assert EVIL not in page and "<script>" not in page and "</li><script>" not in page
    assert ESCAPED in page and "&lt;/li&gt;&lt;script&gt;" in page


def test_presenter_shows_the_concerns_only(hostile_audit):
    page = static.view_html(_Session(hostile_audit), presenter=True)
    assert "Concerns (2)" in page and "Worth a look" not in page and "<details" not in page
    assert "2 findings need attention" in page
    calm = Audit(findings=[hostile_audit.findings[0]], checks=("baseline",), alpha=0.05)
    page = static.view_html(_Session(calm), presenter=True)
    assert "Nothing here needs attention" in page and "Concerns" not in page


def test_a_failing_audit_shows_its_error_box():
    class Failing:
        def audit(self):
            from rai_widgets.core.errors import ValidationError

            raise ValidationError("no y <here>")

    page = static.view_html(Failing())
    assert '<div class="rai-error">no y &lt;here&gt;</div>' in page


def test_places_name_the_sections_of_an_export(hostile_audit):
    places = {"fairness": "Fairness", "uncertainty": "Uncertainty"}
    page = static.view_html(_Session(hostile_audit), places=places)
    assert "See Fairness, for" in page and "See How sure" not in page


def test_the_dashboard_picture_starts_with_the_audit(adult_session):
    page = dashboard.view_html(adult_session)
    headings = re.findall(r"<h3>(.*?)</h3>", page)
    # the audit's own heading heads its section: never "What to look at" then "... first"
    assert headings == list(dashboard.TABS[1:])
    titles = re.findall(r'class="rai-audit-title"[^>]*>(.*?)</(?:div|h3)>', page)
    assert titles == ["What to look at first"]
    assert "<h3>What to look at</h3>" not in page
    assert page.index("What to look at first") < page.index("<h3>Examples</h3>")
    assert page.index("rai-dashboard-summary") < page.index("What to look at first")
    for title in static.TAB_TITLES.values():
        assert title in dashboard.TABS


def test_beyond_the_first_findings_the_rest_are_collapsed():
    findings = [
        Finding("disparity", "concern", f"Gap number {k}.", estimate=-0.5 + k / 100, n=100,
                slice={"sex": "F"}, view="fairness")
        for k in range(static.MAX_SHOWN + 3)
    ]  # fmt: skip
    page = static.view_html(_Session(Audit(findings=findings, checks=("disparity",), alpha=0.05)))
    shown, rest = page.split('<details class="rai-audit-more">')
    items = '<li class="rai-audit-item'
    assert shown.count(items) == static.MAX_SHOWN and rest.count(items) == 3
    assert "<summary>Show 3 more concerns</summary>" in rest
    assert f'start="{static.MAX_SHOWN + 1}"' in rest
    assert shown.index("Gap number 0.") < shown.index("Gap number 7.")


def test_what_the_data_cannot_tell_is_apart_from_what_passed(hostile_audit):
    unclear = Finding(
        "disparity",
        "unclear",
        "True positive rate for race = Other: 40.0% against 66.3% (-26.3 pts, 95% bounds "
        "-52.6 pts to +7.2 pts): the data cannot tell yet.",
        estimate=-0.263,
        lo=-0.526,
        hi=0.072,
        n=25,
        slice={"race": "Other"},
        view="fairness",
    )
    audit = Audit(findings=[*hostile_audit.findings, unclear], checks=("baseline",), alpha=0.05)
    page = static.view_html(_Session(audit))
    passed = page[page.index("<summary>What passed") :]
    assert "race = Other" not in passed
    cannot = page.index("Cannot tell yet (1)")
    assert page.index("Worth a look (1)") < cannot < page.index("<summary>What passed")
    assert "1 the data cannot tell yet" in page
    assert 'class="rai-audit-item rai-audit-unclear"' in page
