"""The audit across the lifecycle: training rows against evaluation rows, on real data with
planted problems (a group mostly missing from training, evaluation rows copied into training,
a feature moved for one group), and quiet on a clean split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.core.slices import labels_like
from rai_widgets.session.checks.drift import LARGE_SHIFT
from tests.conftest import raw_column_pipeline

LIFECYCLE = ["representation", "overlap", "drift"]


@pytest.fixture(scope="module")
def split(adult):
    train = adult.split == "train"
    X_train, y_train = adult.data[train], adult.target[train]
    X, y = adult.data[~train], adult.target[~train]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X_train, y_train)
    return model, X_train, y_train, X, y


def _session(split, X_train=None, y_train=None, **options):
    model, X_tr, y_tr, X, y = split
    X_train = X_tr if X_train is None else X_train
    y_train = y_tr if y_train is None else y_train
    return rw.ModelSession(
        model, X, y, sensitive_features=["sex", "race"], random_state=0,
        train=(X_train, y_train), **options,
    )  # fmt: skip


def _concerns(session, check):
    frame = session.audit(checks=[check]).frame()
    assert len(frame) >= 1
    return frame[frame["severity"] == "concern"]


def test_a_clean_split_gets_no_lifecycle_concern(split):
    s = _session(split)
    frame = s.audit(checks=LIFECYCLE).frame()
    assert set(frame["check"]) == set(LIFECYCLE)
    assert (frame["severity"] != "concern").all(), frame[["check", "finding"]].values


def test_a_group_mostly_missing_from_training_is_a_representation_concern(split):
    _, X_train, y_train, _, _ = split
    black = np.flatnonzero((X_train["race"] == "Black").to_numpy())
    drop = np.random.default_rng(0).choice(black, int(0.95 * len(black)), replace=False)
    keep = np.setdiff1d(np.arange(len(X_train)), drop)
    s = _session(split, X_train.iloc[keep], y_train.iloc[keep])
    concerns = _concerns(s, "representation")
    assert [c for c in concerns["slice"]] == [{"race": "Black"}]
    row = concerns.iloc[0]
    expected = (len(black) - len(drop)) / len(keep) / (s.X["race"] == "Black").mean()
    assert row["lo"] <= expected <= row["hi"] and row["estimate"] == pytest.approx(expected)
    assert "race = Black" in row["finding"]


def test_a_population_share_is_compared_and_checked(split):
    population = {"race": {"White": 0.6, "Black": 0.3, "Asian-Pac-Islander": 0.06,
                           "Amer-Indian-Eskimo": 0.02, "Other": 0.02}}  # fmt: skip
    s = _session(split, population=population)
    concerns = _concerns(s, "representation")
    assert {"race": "Black"} in list(concerns["slice"])  # ~10% of training against 30%
    assert "population given" in " ".join(concerns["finding"])
    bad = {"race": {"White": 0.6, "Black": 0.3}}
    with pytest.raises(RaiWidgetsError, match=r"population=.*sum to 0\.9"):
        _session(split, population=bad)
    with pytest.raises(RaiWidgetsError, match=r"population=.*'age'.* not a sensitive"):
        _session(split, population={"age": {"young": 1.0}})


def test_evaluation_rows_copied_into_training_are_an_overlap_concern(split):
    _, X_train, y_train, X, y = split
    natural = _session(split).audit(checks=["overlap"]).frame().iloc[0]
    copied = X.sample(300, random_state=1)
    s = _session(split, pd.concat([X_train, copied]), pd.concat([y_train, y.loc[copied.index]]))
    finding = _concerns(s, "overlap").iloc[0]
    # every copy is found, on top of the rows that were duplicates already (an oracle merge)
    merged = X.reset_index(drop=True).merge(
        pd.concat([X_train, copied]).drop_duplicates(), how="inner"
    )
    n_found = round(finding["estimate"] * len(X))
    assert n_found == len(merged) >= 300 + round(natural["estimate"] * len(X)) - 5
    assert f"{n_found:,} of the {len(X):,} evaluation rows" in finding["finding"]


def test_a_feature_moved_a_lot_for_one_group_is_a_concern_for_that_group_alone(split):
    # the drift is found for women (not men) and named; a quarter or more of their hours'
    # distribution moved, so it is a concern though the model is as accurate on women's
    # evaluation rows as on their (moved) training rows; the groups it also moves (all rows,
    # each race) are not concerns on size alone (smaller shifts: test_drift_quality.py)
    _, X_train, y_train, _, _ = split
    moved = X_train.copy()
    women = moved["sex"] == "Female"
    moved.loc[women, "hours-per-week"] = moved.loc[women, "hours-per-week"] + 15
    s = _session(split, moved, y_train)
    frame = s.audit(checks=["drift"]).frame()
    assert set(frame["feature"]) == {"hours-per-week"}
    assert {"sex": "Male"} not in list(frame["slice"])
    assert list(frame.loc[frame["severity"] == "concern", "slice"]) == [{"sex": "Female"}]
    women_row = frame[frame["slice"] == {"sex": "Female"}].iloc[0]
    assert women_row["lo"] >= LARGE_SHIFT
    assert "its median goes from 55 to 40 (-15 hours)" in women_row["finding"]
    assert "The model is as accurate there as in training" in women_row["finding"]
    assert "The shift is large (at least " in women_row["finding"]


def test_without_training_rows_each_check_says_so(split):
    model, _, _, X, y = split
    s = rw.ModelSession(model, X, y, sensitive_features=["sex"], random_state=0)
    frame = s.audit(checks=LIFECYCLE).frame()
    assert (frame["severity"] == "note").all() and frame["finding"].str.contains("train=").all()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda X, y: (X.drop(columns=["age"]), y), r"train=.*missing 'age'"),
        (lambda X, y: (X.assign(extra=1), y), r"train=.*extra 'extra'"),
        (lambda X, y: (X, y.where(np.arange(len(y)) % 50 != 0)), r"train=.*missing labels"),
        (lambda X, y: (X, y.map({">50K": "rich", "<=50K": "poor"})), r"train=.*does not know"),
        (lambda X, y: (X, y.iloc[:-3]), r"train=.*y_train has"),
        (lambda X, y: (X, y, y), r"train= takes a pair"),
    ],
)
def test_bad_training_rows_name_the_argument(split, change, match):
    _, X_train, y_train, _, _ = split
    with pytest.raises(RaiWidgetsError, match=match):
        _session(split, *change(X_train, y_train)) if len(change(X_train, y_train)) == 2 else (
            rw.ModelSession(split[0], split[3], split[4], train=change(X_train, y_train))
        )


def test_a_regression_training_target_must_be_numbers(wage, wage_model):
    with pytest.raises(RaiWidgetsError, match=r"train=.*regression"):
        rw.ModelSession(wage_model, wage.data, wage.target,
                        train=(wage.data, wage.data["education"]))  # fmt: skip


def test_training_groups_use_the_evaluation_slices_names(split):
    s = _session(split, population=None)
    slices = s.core.slices("age")
    assert (labels_like(s.X["age"], s.X["age"]).to_numpy() == slices.labels[slices.codes]).all()
    trained = labels_like(split[1]["age"], s.X["age"])
    assert set(trained.dropna()) <= set(slices.labels) | {
        v for v in trained.dropna() if str(v).startswith(("<", ">"))
    }


def _flip(y_train, mask, share, seed=0):
    rows = np.flatnonzero(mask)
    flip = np.random.default_rng(seed).choice(rows, int(share * len(rows)), replace=False)
    flipped = y_train.copy()
    flipped.iloc[flip] = np.where(flipped.iloc[flip] == ">50K", "<=50K", ">50K")
    return flipped


def test_a_group_whose_training_labels_were_flipped_is_a_label_quality_concern(split):
    _, X_train, y_train, _, _ = split
    clean = _session(split)
    assert _concerns(clean, "label_quality").empty
    women = (X_train["sex"] == "Female").to_numpy()
    s = _session(split, X_train, _flip(y_train, women, 0.3))
    concerns = _concerns(s, "label_quality")
    assert list(concerns["slice"]) == [{"sex": "Female"}], concerns["finding"].tolist()
    # about the right count: most of the 30% flipped are found, beside the clean rate
    clean_rate = clean.audit(checks=["label_quality"]).frame().iloc[0]["estimate"]
    women_rate = label_rates(s)["sex"].loc["Female", "rate"]
    assert women_rate - clean_rate > 0.12


def label_rates(session):
    from rai_widgets.session.checks.labels import suspect_rates

    return suspect_rates(session, compute=False)


def test_the_card_reads_the_training_numbers(split):
    _, X_train, y_train, _, _ = split
    s = _session(split, X_train, _flip(y_train, (X_train["sex"] == "Female").to_numpy(), 0.3))
    s.audit()
    card = rw.ModelCard.from_session(s)
    assert card.training_facts_["n_rows"] == len(X_train)
    md = card.to_markdown(section="training_data")
    assert f"{len(X_train):,} training rows" in md and "Not stated" not in md
    women = card.training_.set_index(["feature", "group"]).loc[("sex", "Female")]
    assert women["train_n"] == (X_train["sex"] == "Female").sum()
    assert women["suspect_rate"] == pytest.approx(label_rates(s)["sex"].loc["Female", "rate"])
    ethics = card.to_markdown(section="ethical_considerations")
    assert "Concern: The data contradicts the training label of" in ethics
    assert "sex = Female" in ethics
    again = rw.ModelCard.from_dict(card.to_dict())
    assert again.training_facts_ == card.training_facts_
    assert again.to_markdown(section="training_data") == md


def test_label_quality_says_why_it_cannot_run(split, wage, wage_model):
    model, X_train, _, X, y = split
    regression = rw.ModelSession(wage_model, wage.data, wage.target,
                                 train=(wage.data, wage.target))  # fmt: skip
    assert "classifier" in regression.audit(checks=["label_quality"]).frame()["finding"][0]
    unlabelled = rw.ModelSession(model, X, y, train=(X_train, None))
    assert "without labels" in unlabelled.audit(checks=["label_quality"]).frame()["finding"][0]


def test_the_suspect_rows_are_cleanlabs_and_browsable(split):
    from cleanlab.filter import find_label_issues

    from rai_widgets.session.checks.labels import suspects

    _, X_train, y_train, _, _ = split
    women = (X_train["sex"] == "Female").to_numpy()
    flipped = _flip(y_train, women, 0.3)
    s = _session(split, X_train, flipped)
    audit = s.audit(checks=["label_quality"])
    concern = [f for f in audit.findings if f.severity == "concern"]
    assert [f.slice for f in concern] == [{"sex": "Female"}]
    rows = concern[0].rows
    # cleanlab on the same out-of-fold probabilities (the copy of the model's, cached)
    found = suspects(s, compute=False)
    labels = flipped.to_numpy()[found.rows]
    theirs = find_label_issues(np.searchsorted(found.classes, labels), found.proba)
    cleanlab_women = set(X_train.index[found.rows[theirs & women[found.rows]]])
    ours = set(rows.index)
    assert ours == cleanlab_women, (len(ours), len(cleanlab_women), len(ours ^ cleanlab_women))
    # what each row says, against the data and the probabilities themselves
    position = {label: i for i, label in enumerate(X_train.index[found.rows])}
    at = np.array([position[label] for label in rows.index])
    assert (rows["given_label"].to_numpy() == flipped.loc[rows.index].to_numpy()).all()
    given = np.searchsorted(found.classes, rows["given_label"].to_numpy())
    np.testing.assert_allclose(rows["given_label_proba"], found.proba[at, given])
    assert (rows["expected_label"].to_numpy() == found.classes[found.proba[at].argmax(1)]).all()
    assert (rows["sex"] == "Female").all() and rows["given_label_proba"].is_monotonic_increasing
    pd.testing.assert_frame_equal(rows[X_train.columns], X_train.loc[rows.index])
    # the passing line would carry every suspect: the group's rows are among them
    everyone = set(X_train.index[found.rows[found.suspect]])
    assert ours <= everyone and len(everyone) > len(ours)


def test_show_evidence_opens_the_suspect_rows_under_the_finding(split):
    from rai_widgets.static_html.audit_evidence import MAX_EVIDENCE_ROWS

    _, X_train, y_train, _, _ = split
    s = _session(split, X_train, _flip(y_train, (X_train["sex"] == "Female").to_numpy(), 0.3))
    view = rw.AuditView(s, audit=s.audit(checks=["label_quality", "baseline"]))
    at = int(np.flatnonzero(view.frame["check"] == "label_quality")[0])
    view.buttons[at].click()
    assert view.selected_finding == at
    panes = _evidence_panes(view)
    assert len(panes) == 1
    html = panes[0].value
    rows = next(f for f in view.audit.findings if f.check == "label_quality").rows
    assert f"The {len(rows):,} training rows of sex = Female" in html
    shown = rows.head(MAX_EVIDENCE_ROWS)
    assert html.count("<tr>") == len(shown) + 1
    for label in shown.index[:5]:
        assert f"<td>{label}</td>" in html
    assert "&lt;=50K" in html and "<td><=50K" not in html  # every cell escaped
    view.selected_finding = -1  # unselected: the table goes
    assert _evidence_panes(view) == []


def _evidence_panes(widget):
    """The HTML widgets under ``widget`` that show a finding's rows."""
    found = []
    if 'class="rai-audit-evidence"' in str(getattr(widget, "value", "")):
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found += _evidence_panes(child)
    return found
