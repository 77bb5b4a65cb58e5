"""The audit's headline: at most three sentences, one per check, folded, true to the findings."""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest

import rai_widgets as rw
from rai_widgets.compute.audit import Audit, Finding
from rai_widgets.compute.audit_headline import MAX_LINES, headline_lines
from rai_widgets.static_html import audit as static
from rai_widgets.views.audit import AuditModel


def _text(page: str) -> str:
    """The text of an HTML page, its tags removed."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


CHECKS = ["baseline", "disparity", "four_fifths", "blind_spot", "data_gap"]


@pytest.fixture(scope="module")
def adult_audit(adult_session):
    return adult_session.audit(checks=CHECKS)


def test_a_real_audit_has_at_most_three_lines_each_for_one_check(adult_audit):
    frame = adult_audit.frame()
    concerns = frame[frame["severity"] == "concern"]
    assert concerns["check"].nunique() >= 2  # enough to need choosing
    lines = headline_lines(frame)
    assert 1 <= len(lines) <= MAX_LINES
    assert len({line.check for line in lines}) == len(lines)
    # the first line heads the most urgent concern, and each line stands for every concern
    # of its check
    assert lines[0].check == concerns["check"].iloc[0]
    for line in lines:
        assert set(line.rows) == set(concerns.index[concerns["check"] == line.check])
    assert adult_audit.headline() == [line.technical for line in lines]
    assert adult_audit.headline(plain=True) == [line.plain for line in lines]


def test_a_folded_line_names_every_feature_and_the_largest_number(adult_audit):
    frame = adult_audit.frame()
    lines = {line.check: line for line in headline_lines(frame)}
    line = lines.get("four_fifths") or lines.get("disparity")
    assert line is not None and len(line.rows) > 1
    rows = frame.iloc[list(line.rows)]
    for _, row in rows.iterrows():
        for column in row["slice"]:
            assert str(column) in line.technical
    top = rows.iloc[0]
    if line.check == "four_fifths":
        assert f"{top['estimate']:.2g}" in line.technical
    else:
        assert f"{100 * top['estimate']:+.1f} pts" in line.technical
    assert "q =" not in line.plain and "bounds" not in line.plain


def test_one_concern_is_its_own_sentence_and_no_concern_is_no_headline():
    ok = Finding("baseline", "ok", "Right for 88%.", estimate=0.1)
    concern = Finding("data_gap", "concern", "Only 12 rows for race = Other.", n=12)
    assert Audit([ok], ("baseline",), 0.05).headline() == []
    assert Audit([ok, concern], ("baseline", "data_gap"), 0.05).headline() == [
        "Only 12 rows for race = Other."
    ]


def test_more_than_three_checks_keep_the_three_most_urgent():
    findings = [
        Finding(check, "concern", f"{check} found it.", estimate=size, n=100)
        for check, size in [("a", 0.1), ("b", 0.4), ("c", 0.3), ("d", 0.2)]
    ]
    headline = Audit(findings, ("a", "b", "c", "d"), 0.05).headline()
    assert headline == ["b found it.", "c found it.", "d found it."]


def test_a_shared_file_takes_the_number_from_a_group_it_may_show():
    findings = [
        Finding("four_fifths", "concern", "tiny", estimate=0.05, lo=0.01, hi=0.2, n=8,
                slice={"race": "Other"}, feature="race", metric="selection_rate"),
        Finding("four_fifths", "concern", "big", estimate=0.31, lo=0.29, hi=0.35, n=5000,
                slice={"sex": "Female"}, feature="sex", metric="selection_rate"),
    ]  # fmt: skip
    model = AuditModel.from_audit(Audit(findings, ("four_fifths",), 0.05), min_group_size=30)
    (line,) = model.headline
    assert "0.31" in line.technical and "0.05" not in line.technical
    assert math.isnan(model.frame.loc[model.frame["n"] == 8, "estimate"].iloc[0])


def test_the_view_the_export_and_the_card_show_the_same_headline(adult_session, adult_audit):
    lines = AuditModel.from_audit(adult_audit).headline
    page = static.view_html(adult_session, audit=adult_audit)
    presenter = static.view_html(adult_session, audit=adult_audit, presenter=True)
    for line in lines:
        assert line.technical in _text(page)
        assert line.plain in _text(presenter)
    assert page.index("rai-audit-headline") < page.index("rai-audit-lead")
    card = rw.ModelCard.from_session(adult_session).to_markdown()
    first = adult_session.audit().headline()[0]
    assert first[:60] in card.replace("\n", " ")


def test_the_audit_view_widget_shows_the_headline(adult_session, adult_audit):
    view = rw.AuditView(adult_session, audit=adult_audit)
    assert view.model.headline and "rai-audit-headline" in view.header_html
    assert view.model.headline[0].technical in _text(view.header_html)
    view.presenter = True
    assert view.model.headline[0].plain in _text(view.header_html)


def test_headline_lines_of_an_empty_frame():
    assert headline_lines(pd.DataFrame(columns=["check", "severity"])) == []


def test_a_single_concern_has_plain_words_in_presenter_mode():
    spot = Finding("blind_spot", "concern", "age = 38–48: error rate 20.5% against 11.0% "
                   "elsewhere (+9.5 pts, q < 0.001, 2,925 rows).", estimate=0.095, n=2925,
                   slice={"age": "38–48"})  # fmt: skip
    audit = Audit([spot], ("blind_spot",), 0.05)
    assert audit.headline() == [spot.finding]
    (plain,) = audit.headline(plain=True)
    assert "q <" not in plain and "age = 38–48" in plain and "+9.5 pts" in plain


def test_each_concern_carries_its_plain_words_for_presenter_mode(adult_session, adult_audit):
    page = static.view_html(adult_session, audit=adult_audit, presenter=True)
    spots = adult_audit.of("concern")
    spots = spots[spots["check"] == "blind_spot"]
    assert len(spots) >= 1
    spot = spots.iloc[0]
    # the blind spot's two error rates, computed here from the answers
    wrong = ~adult_session.predictions()["correct"].astype(bool)
    mask = adult_session.core.slice_mask(spot["slice"])
    where = " & ".join(f"{k} = {v}" for k, v in spot["slice"].items())
    plain = static.escape(
        f"The model is wrong for {100 * wrong[mask].mean():.1f}% of {where} against "
        f"{100 * wrong[~mask].mean():.1f}% of the other rows."
    )
    assert f'<span class="rai-term-plain">{plain}</span>' in page
