"""The Dashboard in marimo, live: run `marimo run notebooks/marimo_dashboard.py` (or `marimo
edit`). marimo draws anywidget widgets, so it shows the Dashboard as one anywidget
(rai_widgets.SinglePageDashboard): pick a tab, a slice or a finding's evidence, click a row, and
every view follows; the example rows can be narrowed to the model's errors or undecided cases,
a case's values changed to see the model's new answer ("What if"); the fairness tab has its
grouping, metric and a decision threshold per group, the uncertainty tab its promised coverage
and grouping. `board.selected_row`, `board.selected_slice` and `board.fairness.by` read what was
picked, as in JupyterLab."""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="full")


@app.cell
def _():
    import marimo as mo

    mo.md(
        """
        # A credit model, in marimo

        The German credit data (1,000 loan applicants, bundled with rai_widgets: nothing is
        downloaded) and a logistic regression that predicts whether a loan is repaid. Below,
        the Dashboard: what to look at first (each finding's "Show evidence" opens it), then
        the example rows ("Show" narrows them to the model's confident errors or its
        undecided cases; click one for its detail, a header to sort; under the detail, "What
        if" changes the case's values and gives the model's new answer beside the old), its
        explanation, fairness by personal status and sex or by foreign worker (pick the
        grouping and the metric, and move a decision threshold per group), and how sure the
        model is (pick the promised coverage and the grouping). The slice picked at the top is
        followed by every view.
        """
    )
    return (mo,)


@app.cell
def _():
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    import rai_widgets as rw

    data = rw.datasets.load_german_credit()
    X, y = data.data, data.target
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    model = make_pipeline(encode, LogisticRegression(max_iter=1000)).fit(X, y)
    session = rw.ModelSession(
        model,
        X,
        y,
        sensitive_features=["personal_status_and_sex", "foreign_worker"],
        name="credit model",
        random_state=0,
    )
    return rw, session


@app.cell
def _(rw, session):
    board = rw.Dashboard(session)
    board  # noqa: B018 (marimo shows a cell's last expression)
    return (board,)


@app.cell
def _(mo):
    read = mo.ui.run_button(label="Read the board")
    mo.vstack(
        [
            mo.md(
                "What the Dashboard above follows, read from Python as in JupyterLab "
                "(`board.selected_row`, `board.selected_slice`, `board.fairness.by`): pick a "
                "row, a slice or a grouping, then press the button."
            ),
            read,
        ]
    )
    return (read,)


@app.cell
def _(board, mo, read):
    mo.stop(not read.value)
    mo.md(
        f"`board.selected_row` is **{board.selected_row}**; "
        f"`board.selected_slice` is **{board.selected_slice!r}**; "
        f"`board.fairness.by` is **{board.fairness.by!r}**"
    )
    return


if __name__ == "__main__":
    app.run()
