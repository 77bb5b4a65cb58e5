"""ModelCard has every section of Mitchell et al. (2019), a versioned JSON schema, and says
what its author has not stated yet; quantitative analyses are unitary and intersectional."""

from __future__ import annotations

import html
import json
import re

import jsonschema
import numpy as np
import pandas as pd
import pytest

import rai_widgets as rw
from rai_widgets.report.card.model_card import NOT_STATED, ModelCard
from rai_widgets.report.card.prose import numbers_sentences
from rai_widgets.report.card.schema import card_schema, schema_errors

# Mitchell et al. (2019), "Model Cards for Model Reporting", written out independently
MITCHELL = [
    "Model details",
    "Intended use",
    "Factors",
    "Metrics",
    "Evaluation data",
    "Training data",
    "Quantitative analyses",
    "Ethical considerations",
    "Caveats and recommendations",
]
KEYS = [
    "model_details",
    "intended_use",
    "factors",
    "metrics",
    "evaluation_data",
    "training_data",
    "quantitative_analyses",
    "ethical_considerations",
    "caveats_and_recommendations",
]
# keyword argument of from_session -> the section it fills
AUTHOR = {
    "owners": "model_details",
    "intended_use": "intended_use",
    "out_of_scope_uses": "intended_use",
    "evaluation_data": "evaluation_data",
    "training_data": "training_data",
    "ethical_considerations": "ethical_considerations",
    "caveats": "caveats_and_recommendations",
}


@pytest.fixture(scope="module")
def wage_session(wage, wage_model):
    return rw.ModelSession(
        wage_model, wage.data, wage.target, sensitive_features=["race", "maritl"], random_state=0
    )


@pytest.fixture(scope="module")
def education_session(wage_education):
    model, X, y = wage_education
    return rw.ModelSession(model, X, y, sensitive_features=["race", "jobclass"], random_state=0)


@pytest.fixture(scope="module")
def german_session(german, german_model):
    return rw.ModelSession(
        german_model,
        german.data,
        german.target,
        sensitive_features=german.sensitive_features,
        random_state=0,
    )


TASKS = {
    "binary": "adult_session",
    "multiclass": "education_session",
    "regression": "wage_session",
}


@pytest.fixture(scope="module", params=list(TASKS))
def session_and_card(request):
    session = request.getfixturevalue(TASKS[request.param])
    return session, ModelCard.from_session(session)


@pytest.fixture(scope="module")
def german_card(german_session):
    return ModelCard.from_session(german_session)


def h2(markdown: str) -> list[str]:
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


def section_text(markdown: str, title: str) -> str:
    """The Markdown of one section: from its heading to the next ``## ``."""
    start = markdown.index(f"\n## {title}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : None if end < 0 else end]


def md_rows(markdown: str) -> list[list[str]]:
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


# -- every section, by name, in order -----------------------------------------------------------
def test_every_section_in_order_in_markdown_html_and_dict(session_and_card):
    session, card = session_and_card
    markdown = card.to_markdown()
    assert h2(markdown) == MITCHELL
    page = card.to_html()
    assert re.findall(r"<h2>(.*?)</h2>", page) == MITCHELL
    data = card.to_dict()
    assert [k for k in data if k in KEYS] == KEYS
    assert data["schema_version"] == "1.0"
    assert list(ModelCard.sections()) == KEYS
    assert list(ModelCard.sections().values()) == MITCHELL
    assert data["model_details"]["task"] == session.task_


def test_one_section_renders_as_in_the_whole_card(session_and_card):
    _, card = session_and_card
    markdown = card.to_markdown()
    for key, title in zip(KEYS, MITCHELL, strict=True):
        alone = card.to_markdown(section=key)
        assert h2(alone) == [title]
        assert section_text(markdown, title).strip() == alone.strip()
        fragment = card.to_html(section=key, fragment=True)
        assert fragment.startswith("<style>") and f"<h2>{html.escape(title)}</h2>" in fragment
        assert "<html" not in fragment
    with pytest.raises(rw.ValidationError, match=r"section 'summary'.*model_details"):
        card.to_markdown(section="summary")


def test_the_dict_follows_the_shipped_schema(session_and_card):
    _, card = session_and_card
    data = json.loads(card.to_json())
    schema = card_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert schema_errors(data) == []
    assert data == card.to_dict()


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("factors"),
        lambda d: d["quantitative_analyses"]["overall"][0].update(n="many"),
        lambda d: d["metrics"].update(min_support=0),
        lambda d: d["model_details"].update(task="ranking"),
        lambda d: d["training_data"].update(training_data=3),
        lambda d: d.update(extra=1),
        lambda d: d["caveats_and_recommendations"].update(limitations="none"),
    ],
)
def test_the_hand_written_check_agrees_with_jsonschema(german_card, change):
    data = german_card.to_dict()
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, card_schema())
    assert schema_errors(data)
    with pytest.raises(rw.ValidationError, match="does not follow the model card schema"):
        ModelCard.from_dict(data)


# -- loading, and refusing another schema version ----------------------------------------------
def test_a_loaded_card_renders_as_the_card_that_wrote_it(session_and_card, tmp_path):
    _, card = session_and_card
    path = tmp_path / "card.json"
    text = card.to_json(path)
    assert path.read_text(encoding="utf-8") == text + "\n"
    loaded = ModelCard.from_json(path)
    assert loaded.to_markdown() == card.to_markdown()
    assert loaded.to_html() == card.to_html()
    assert loaded.to_dict() == card.to_dict()
    assert loaded.metrics_ == card.metrics_
    np.testing.assert_allclose(
        loaded.overall_[card.metrics_[0]].to_numpy(dtype=float),
        card.overall_[card.metrics_[0]].to_numpy(dtype=float),
    )


@pytest.mark.parametrize("version", ["0.9", "2.0", 1.0, None])
def test_another_schema_version_is_refused(german_card, version):
    data = german_card.to_dict()
    if version is None:
        del data["schema_version"]
        found = "has no schema_version"
    else:
        data["schema_version"] = version
        found = f"has schema_version {version!r}"
    with pytest.raises(rw.ValidationError) as info:
        ModelCard.from_dict(data)
    message = str(info.value)
    assert message.startswith("schema_version: ")
    assert found in message
    assert "reads schema_version '1.0'" in message
    assert rw.__version__ in message  # the version that wrote it
    assert "ModelCard.from_session" in message  # what to do


def test_not_a_card_is_refused(tmp_path):
    path = tmp_path / "card.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(rw.ValidationError, match="not valid JSON"):
        ModelCard.from_json(path)
    with pytest.raises(rw.ValidationError, match="must be a dict"):
        ModelCard.from_dict([1, 2])


# -- what the author has not stated ---------------------------------------------------------------
def test_a_card_without_author_sections_says_what_is_missing(german_card):
    markdown, page, data = german_card.to_markdown(), german_card.to_html(), german_card.to_dict()
    assert h2(markdown) == MITCHELL
    assert "What the author has not stated yet" in markdown
    assert "What the author has not stated yet" in page
    missing = markdown.split("What the author has not stated yet")[1].split("\n## ")[0]
    for argument in AUTHOR:
        assert f"pass {argument.replace('_', chr(92) + '_')}=..." in missing
        assert f"pass {argument}=..." in page
    assert [m["argument"] for m in data["not_stated"]] == list(AUTHOR)
    assert [m["key"] for m in data["not_stated"]] == list(AUTHOR.values())
    for argument, key in AUTHOR.items():
        assert data[key][argument] is None
    for title in ("Intended use", "Training data", "Ethical considerations"):
        assert NOT_STATED in section_text(markdown, title)
    assert markdown.count(NOT_STATED) == len(AUTHOR)


def test_old_keywords_fill_their_sections(german_session):
    given = {name: f"{name} text" for name in AUTHOR}
    card = ModelCard.from_session(german_session, **given)
    markdown, data = card.to_markdown(), card.to_dict()
    assert "What the author has not stated yet" not in markdown
    assert NOT_STATED not in markdown
    assert data["not_stated"] == []
    for argument, key in AUTHOR.items():
        title = MITCHELL[KEYS.index(key)]
        assert f"{argument.replace('_', chr(92) + '_')} text" in section_text(markdown, title)
        assert data[key][argument] == f"{argument} text"
    partly = ModelCard.from_session(german_session, intended_use="Teaching.")
    assert [m["argument"] for m in partly.to_dict()["not_stated"]] == [
        a for a in AUTHOR if a != "intended_use"
    ]


# -- factors, metrics, evaluation data -----------------------------------------------------------
def test_factors_name_the_groups_and_the_audits_features(german_card, german_session):
    factors = german_card.to_dict()["factors"]
    assert factors["sensitive_features"] == list(german_session.sensitive_features_)
    for entry in factors["groups"]:
        expected = german_session.slice_metrics(entry["feature"], metrics=["accuracy"])
        assert [g["n"] for g in entry["groups"]] == expected["n"].tolist()
        assert [g["group"] for g in entry["groups"]] == [str(g) for g in expected.index]
    assert [i["features"] for i in factors["intersections"]] == [
        ["personal_status_and_sex", "age_in_years"],
        ["personal_status_and_sex", "foreign_worker"],
        ["age_in_years", "foreign_worker"],
    ]
    audit = german_session.audit().frame()
    flagged = audit[audit["severity"].isin(["concern", "note"])]
    expected = set(flagged["feature"].dropna().astype(str))
    for spec in flagged["slice"]:
        if isinstance(spec, dict):
            expected |= {str(c) for c in spec}
    assert {f["feature"] for f in factors["audit_features"]} == expected
    text = section_text(german_card.to_markdown(), "Factors")
    assert "male : single (n = 548)" in text
    for f in factors["audit_features"]:
        assert f"**{f['feature'].replace('_', chr(92) + '_')}**" in text


def test_metrics_say_why_and_how_bounds_are_computed(session_and_card):
    _, card = session_and_card
    metrics = card.to_dict()["metrics"]
    assert [m["name"] for m in metrics["metrics"]] == card.metrics_
    assert metrics["bounds_confidence_level"] == 0.95
    assert metrics["conformal_confidence_level"] == 0.9
    proportions = {"accuracy", "selection_rate", "tpr", "fpr"}
    for m in metrics["metrics"]:
        assert m["why"]
        wilson = m["name"] in proportions
        assert ("Wilson" in m["bounds_method"]) == wilson, m
        assert wilson or "bootstrap" in m["bounds_method"]
    text = section_text(card.to_markdown(), "Metrics")
    assert "90.0%" in text and "95% bounds" in text and "MOVER" in text
    assert "Benjamini-Hochberg" in text


def test_evaluation_data_counts_the_rows_and_says_where_they_came_from(german_session, german):
    card = ModelCard.from_session(german_session, evaluation_data="The 1994 Statlog release.")
    data = card.to_dict()["evaluation_data"]
    assert data["n_rows"] == len(german.data) and data["n_columns"] == german.data.shape[1]
    assert data["evaluation_data"] == "The 1994 Statlog release."
    assert sum(row["n"] for row in data["target_distribution"]) == len(german.data)
    text = section_text(card.to_markdown(), "Evaluation data")
    assert "Rows: 1,000." in text and "The 1994 Statlog release." in text


# -- quantitative analyses: unitary and intersectional ----------------------------------------
def test_intersectional_results_have_n_and_bounds(session_and_card):
    session, card = session_and_card
    a, b = session.sensitive_features_[:2]
    table = card.intersectional_[(a, b)]
    expected = session.slice_metrics([a, b], metrics=card.metrics_)
    assert list(table.index) == list(expected.index)
    assert table["n"].tolist() == expected["n"].tolist()
    assert int(table["n"].sum()) == len(session.X)
    big = expected["n"].to_numpy() >= card.min_group_size_
    m = card.metrics_[0]
    for column in (m, f"{m}_lo", f"{m}_hi"):
        np.testing.assert_allclose(
            table.loc[big, column].to_numpy(dtype=float),
            expected.loc[big, column].to_numpy(dtype=float),
        )
        assert table.loc[~big, column].isna().all()
    # in Markdown: a table "By a and b" with one row per combination, n and bounds in each cell
    text = section_text(card.to_markdown(), "Quantitative analyses")
    assert "### Unitary results" in text and "### Intersectional results" in text
    block = text.split(f"#### By {a} and {b}\n")[1].split("\n#### ")[0]
    rows = md_rows(block)[1:]
    assert len(rows) == len(expected)
    for row, (group, n) in zip(rows, expected["n"].items(), strict=True):
        assert row[0].replace("\\", "") == " & ".join(str(g) for g in group)
        assert row[1] == f"{int(n):,}"
        if n >= card.min_group_size_:
            assert re.fullmatch(r".+ \(.+ to .+\)", row[2]), row
        else:
            assert row[2] == "too few to report"
    # in the dict: the group as a list of names, n, each metric with its bounds
    quant = card.to_dict()["quantitative_analyses"]
    entry = quant["intersectional"][0]
    assert entry["features"] == [str(a), str(b)]
    for row, (group, n) in zip(entry["groups"], expected["n"].items(), strict=True):
        assert row["group"] == [str(g) for g in group] and row["n"] == n
        assert {m, f"{m}_lo", f"{m}_hi"} <= set(row)
        if n < card.min_group_size_:
            assert row[m] is None and row["too_few"] is True
        else:
            assert row[f"{m}_lo"] <= row[m] <= row[f"{m}_hi"]


def test_small_intersections_read_too_few_to_report(german_card, german_session):
    pair = ("age_in_years", "foreign_worker")
    table = german_card.intersectional_[pair]
    small = table[table["n"] < 10]
    assert len(small) >= 1  # German credit has few foreign_worker = no in some age band
    assert small["too_few"].all() and small["accuracy"].isna().all()
    block = german_card.to_markdown().split("#### By age\\_in\\_years and foreign\\_worker\n")[1]
    for group, row in small.iterrows():
        line = f"| {' & '.join(group)} | {row['n']} | too few to report |"
        assert line in block


def test_intersections_can_be_left_out(german_session):
    card = ModelCard.from_session(german_session, intersectional=False)
    assert card.intersectional_ == {}
    text = section_text(card.to_markdown(), "Quantitative analyses")
    assert "intersectional=False" in text and "#### By personal" in text
    assert card.to_dict()["quantitative_analyses"]["intersectional"] == []


def test_caveats_hold_the_limitations_and_the_audit(german_card):
    text = section_text(german_card.to_markdown(), "Caveats and recommendations")
    assert "### Limitations (found in the numbers)" in text
    assert "### What to look at first (audit)" in text
    for limitation in german_card.limitations_[:3]:
        assert html.escape(limitation, quote=False)[:40].replace("_", "\\_") in text
    caveats = german_card.to_dict()["caveats_and_recommendations"]
    assert caveats["limitations"] == german_card.limitations_
    assert len(caveats["audit"]) == len(german_card.audit_)


def test_a_session_without_sensitive_features(iris_model):
    model, X, y = iris_model
    card = ModelCard.from_session(rw.ModelSession(model, X, y, random_state=0))
    markdown = card.to_markdown()
    assert h2(markdown) == MITCHELL
    assert "No sensitive features were given" in section_text(markdown, "Factors")
    assert "Intersections need at least two" in markdown
    data = card.to_dict()
    jsonschema.validate(data, card_schema())
    assert ModelCard.from_dict(data).to_markdown() == markdown
    assert isinstance(pd.DataFrame(data["quantitative_analyses"]["overall"]), pd.DataFrame)


def test_the_card_names_the_favourable_outcome_only_when_told(german, german_model):
    X, y = german.data.iloc[:300], german.target.iloc[:300]
    told = ModelCard.from_session(rw.ModelSession(german_model, X, y, favorable="good"))
    data = told.to_dict()
    jsonschema.validate(data, card_schema())
    assert data["model_details"]["favorable"] == "good"
    assert "| Favourable outcome | good |" in told.to_markdown()
    assert ModelCard.from_dict(data).to_markdown() == told.to_markdown()
    untold = ModelCard.from_session(rw.ModelSession(german_model, X, y)).to_markdown()
    assert "Favourable outcome" not in untold


def test_the_card_tables_the_cost_of_recourse_per_group(german, german_model):
    s = rw.ModelSession(
        german_model, german.data, german.target, sensitive_features=["personal_status_and_sex"],
        favorable="good", random_state=0,
    )  # fmt: skip
    card = ModelCard.from_session(s)
    table = card.recourse_
    assert table is not None and len(table) >= 2
    assert set(table["feature"]) == {"personal_status_and_sex"}
    assert (table["distance_lo"] <= table["distance"]).all()
    assert (table["distance"] <= table["distance_hi"]).all()
    markdown = card.to_markdown()
    section = section_text(markdown, "Quantitative analyses")
    assert "### Cost of recourse" in section
    for group in table["group"]:
        assert f"personal\\_status\\_and\\_sex = {group}" in section  # markdown escapes _
    # the audit's recourse finding and the table read the same numbers
    audit = card.audit_[card.audit_["check"] == "recourse"]
    first = audit.iloc[0]
    row = table[table["group"] == str(first["slice"]["personal_status_and_sex"])].iloc[0]
    assert first["estimate"] == pytest.approx(row["gap"])
    data = card.to_dict()
    jsonschema.validate(data, card_schema())
    assert ModelCard.from_dict(data).to_markdown() == markdown


def test_regression_tables_carry_the_unit(wage, wage_model):
    s = rw.ModelSession(
        wage_model, wage.data.iloc[:800], wage.target.iloc[:800], sensitive_features=["race"],
        target_unit="thousand dollars", random_state=0,
    )  # fmt: skip
    card = ModelCard.from_session(s)
    section = section_text(card.to_markdown(), "Quantitative analyses")
    assert "| Mean absolute error (thousand dollars) |" in section  # the overall table
    assert "| Mean absolute error (thousand dollars) | Root mean squared error" in section
    assert "Mean width (thousand dollars)" in section
    assert card.to_dict()["model_details"]["target_unit"] == "thousand dollars"
    summary = " ".join(card.summary_)
    assert "off by " in summary and "thousand dollars on average" in summary
    assert ModelCard.from_dict(card.to_dict()).to_markdown() == card.to_markdown()


def test_the_opening_promise_on_bounds_holds_for_the_audits_widened_gaps(adult_session):
    card = rw.ModelCard.from_session(adult_session)
    markdown = card.to_markdown()
    opening = numbers_sentences(card)[0]  # the summary in numbers, above every table
    assert "every number below has 95% bounds" in opening
    assert "widened for the" in markdown  # the audit's gaps use wider bounds
    assert "wider where the audit compares many gaps at once" in opening  # and the opening says so
