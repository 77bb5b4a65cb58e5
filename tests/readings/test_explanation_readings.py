"""Every sentence of "Why it decided" is true of the numbers it states: the SHAP-against-LIME
reading names the feature they disagree on most (both numbers) and says to prefer SHAP only
when LIME's number is off the scale of the prediction; a regression's contributions carry the
target's unit and one precision; the waterfall's colours are not the fairness chart's.

Each expectation is computed here again from ``ModelSession.explain`` with pandas and numpy."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import rai_widgets as rw
from rai_widgets.display.explanation import AgreementDisplay, WaterfallDisplay
from rai_widgets.display.svg_base import COLORS
from rai_widgets.formatting import points
from rai_widgets.readings.explanation import agreement_sentence

SEED = 0


def _dense_pipeline(step):
    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    return make_pipeline(encode, step)


@pytest.fixture(scope="module")
def boosted(adult):
    """The review's setting: gradient boosting on Adult's training rows, its test rows shown."""
    train = adult.split == "train"
    X, y = adult.data[train].iloc[:8000], adult.target[train].iloc[:8000]
    model = _dense_pipeline(HistGradientBoostingClassifier(max_iter=60, random_state=0))
    model.fit(X, y)
    test = ~train
    return rw.ModelSession(
        model, adult.data[test].iloc[:1500], adult.target[test].iloc[:1500], random_state=SEED
    )


def _expected(session, row):
    """The reading's numbers, computed again: counts on SHAP's five strongest features, the
    feature whose two numbers are furthest apart among those not within a factor of two, the
    move SHAP's contributions add up to, and whether LIME's number is off its scale."""
    shap = session.explain([row], method="shap", random_state=SEED)
    lime = session.explain([row], method="lime", random_state=SEED)
    both = shap.set_index("feature")["contribution"].to_frame("s")
    both["l"] = lime.set_index("feature")["contribution"]
    both = both.reindex(both["s"].abs().sort_values(ascending=False, kind="stable").index)
    s, lm = both["s"], both["l"]
    largest = max(s.abs().max(), lm.abs().max())
    small = (s.abs() < largest / 100) & (lm.abs() < largest / 100)
    same = small | (np.sign(s) == np.sign(lm))
    ratio = lm.abs() / s.abs()
    similar = small | ((np.sign(s) == np.sign(lm)) & ratio.between(0.5, 2))
    main = both.index[:5]
    apart = (lm - s).abs()[~similar]
    named = None
    if len(apart):
        worst = apart.idxmax()
        if not similar[main].all() or apart[worst] >= s[main].abs().min():
            named = worst
    move = float(shap["prediction"].iloc[0] - shap["base_value"].iloc[0])
    adds_up = math.isclose(s.sum(), move, rel_tol=0.01, abs_tol=1e-9)
    off = (
        named is not None
        and adds_up
        and abs(lm[named]) > abs(move)
        and abs(lm[named]) > s.abs().sum()
    )
    return {
        "shown": len(main),
        "same": int(same[main].sum()),
        "similar": int(similar[main].sum()),
        "named": named,
        "lime": None if named is None else float(lm[named]),
        "shap": None if named is None else float(s[named]),
        "move": move,
        "off": off,
    }


def test_the_reading_names_the_largest_disagreement_with_both_numbers(boosted):
    offs = 0
    for row in boosted.X.index[:8]:
        want = _expected(boosted, row)
        text = AgreementDisplay.from_session(boosted, row, random_state=SEED).agreement()
        assert "strongest features the same way" not in text  # the old, hard-to-parse wording
        if want["same"] == want["shown"] and want["similar"] == want["shown"]:
            assert f"agree on the direction and the size of all {want['shown']} main" in text
        elif want["same"] == want["shown"]:
            assert (
                f"agree on the direction of all {want['shown']} main features, but on the size "
                f"for only {want['similar']};" in text
            ) or (want["similar"] == 0 and "for none of them" in text), text
        else:
            assert f"only {want['same']} of the {want['shown']} main features" in text, text
        if want["named"] is None:
            assert "disagreement" not in text and "differ" not in text, text
            continue
        numbers = f"{want['named']} (LIME {points(want['lime'])}, SHAP {points(want['shap'])})"
        assert numbers in text, (numbers, text)
        if want["similar"] < want["shown"]:
            assert f"the largest disagreement is {numbers}" in text
        said = "prefer SHAP here" in text
        assert said == want["off"], (want, text)
        if said:
            offs += 1
            # the numbers it states: LIME's size, and the whole move, smaller than it
            size, whole = (
                points(abs(want["lime"]), signed=False),
                points(abs(want["move"]), signed=False),
            )
            assert (
                f"LIME's {size} for {want['named']} is more than the whole move from the "
                f"average prediction to this one ({whole})" in text
            )
            assert abs(want["lime"]) > abs(want["move"])
    assert offs >= 1  # the review's case: LIME gives capital-gain more than the whole move


def test_the_reviewed_case_names_capital_gain(boosted):
    row = boosted.X.index[0]
    want = _expected(boosted, row)
    display = AgreementDisplay.from_session(boosted, row, random_state=SEED)
    assert want["named"] == "capital-gain" and display.largest_disagreement[0] == "capital-gain"
    assert abs(want["lime"]) > abs(want["move"]) > abs(want["shap"])  # off the scale
    assert "prefer SHAP here" in display.agreement()
    plain = display.agreement(plain=True)
    assert "SHAP" not in plain and "LIME" not in plain
    assert "they differ most on capital-gain (simple model" in plain and "trust them here" in plain
    html = display.reading_html()
    assert "the largest disagreement is capital-gain" in html and "rai-term-plain" in html


def test_each_branch_of_the_agreement_sentence():
    assert agreement_sentence(5, 5, 5) == (
        "SHAP and LIME agree on the direction and the size of all 5 main features."
    )
    assert agreement_sentence(5, 5, 0, largest=("a", 0.3, 0.05)) == (
        "SHAP and LIME agree on the direction of all 5 main features, but on the size for none "
        "of them; the largest disagreement is a (LIME +30.0 pts, SHAP +5.0 pts)."
    )
    assert agreement_sentence(5, 0, 0, largest=("a", 0.3, -0.05)) == (
        "SHAP and LIME agree on the direction of none of the 5 main features; the largest "
        "disagreement is a (LIME +30.0 pts, SHAP -5.0 pts)."
    )
    assert agreement_sentence(2, 2, 2) == (
        "SHAP and LIME agree on the direction and the size of both main features."
    )
    assert agreement_sentence(1, 1, 0, largest=("a", 0.3, 0.05)).startswith(
        "SHAP and LIME agree on the direction of the main feature, but not on its size;"
    )
    # off the scale only when LIME's number exceeds the whole move and all of SHAP's together
    kept = agreement_sentence(
        5, 5, 4, largest=("a", 0.3, 0.1), move=0.2, shap_sizes=0.35, shap_adds_up=True
    )
    assert "prefer" not in kept
    off = agreement_sentence(
        5, 5, 4, largest=("a", 0.3, 0.1), move=0.2, shap_sizes=0.25, shap_adds_up=True
    )
    assert off.endswith(
        "LIME's 30.0 pts for a is more than the whole move from the average prediction to this "
        "one (20.0 pts), while SHAP's contributions add up to that move: prefer SHAP here."
    )
    unsure = agreement_sentence(
        5, 5, 4, largest=("a", 0.3, 0.1), move=0.2, shap_sizes=0.25, shap_adds_up=False
    )
    assert "prefer" not in unsure


def _named(text: str) -> list[tuple[str, str]]:
    """(sign, number) of each contribution named with the unit in the reading."""
    return re.findall(r"\(([+\u2212])([\d,]+(?:\.\d+)?) thousand dollars\)", text)


def test_a_regressions_contributions_carry_the_unit_and_one_precision(wage, wage_model):
    s = rw.ModelSession(
        wage_model, wage.data, wage.target, random_state=SEED, target_unit="thousand dollars"
    )
    row = s.X.index[3]
    text = s.explain_text(row, random_state=SEED)
    named = _named(text)
    assert len(named) >= 3, text  # the old reading had no unit on them: "(+5.1), (+4.57)"
    decimals = {len(n.partition(".")[2]) for _, n in named}
    assert len(decimals) == 1, text
    (d,) = decimals
    shap = s.explain([row], method="shap", random_state=SEED)
    ordered = shap.reindex(shap["contribution"].abs().sort_values(ascending=False).index)
    up = ordered[ordered["contribution"] > 0].head(3)
    down = ordered[ordered["contribution"] < 0].head(3)
    values = pd.concat([up, down])["contribution"]
    # three significant digits on the largest named, the same decimals for the others
    assert d == max(0, 2 - math.floor(math.log10(values.abs().max())))
    expected = [f"{abs(v):,.{d}f}" for v in values]
    assert [n for _, n in named] == expected, (named, expected)
    svg = WaterfallDisplay.from_session(s, row, random_state=SEED).to_svg()
    bars = re.findall(rf'fill="{COLORS["text"]}">([+-][\d,]+(?:\.\d+)?)</text>', svg)
    assert bars and {len(b.partition(".")[2]) for b in bars} == {d}, bars
    # the agreement reading: both numbers with the unit, one precision over both explainers
    agreement = AgreementDisplay.from_session(s, row, random_state=SEED).agreement()
    lime = s.explain([row], method="lime", random_state=SEED).set_index("feature")
    both = pd.concat([shap["contribution"], lime["contribution"]])
    d2 = max(0, 2 - math.floor(math.log10(both.abs().max())))
    found = re.search(
        r"(\S+) \(LIME ([+-][\d,]+\.?\d*) thousand dollars, SHAP ([+-][\d,]+\.?\d*) thousand "
        r"dollars\)",
        agreement,
    )
    assert found, agreement
    feature = found.group(1)
    named_shap = shap.set_index("feature").loc[feature, "contribution"]
    assert found.group(2) == f"{lime.loc[feature, 'contribution']:+,.{d2}f}"
    assert found.group(3) == f"{named_shap:+,.{d2}f}"


def test_the_waterfall_does_not_use_the_colours_of_better_and_worse(adult_session):
    svg = WaterfallDisplay.from_session(adult_session, adult_session.X.index[0]).to_svg()
    fills = set(re.findall(r'<rect[^>]*fill="(#[0-9a-f]{6})"', svg))
    assert {COLORS["up"], COLORS["down"]} & fills
    assert not fills & {COLORS["better"], COLORS["worse"]}, fills  # blue means better elsewhere
    words = " ".join(re.sub(r"<[^>]+>", " ", svg).split())  # the note wraps over lines
    assert "dark bars push it up, light bars push it down" in words
