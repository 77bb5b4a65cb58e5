"""The Dashboard in marimo, live: run `marimo run notebooks/marimo_dashboard.py` (or `marimo
edit`). marimo draws anywidget widgets, so it shows the Dashboard as one anywidget
(rai_widgets.SinglePageDashboard): pick a tab, click a row, and the case's detail and its
explanation follow."""

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
        the Dashboard: what to look at first, then the example rows (click one for its detail),
        its explanation, fairness by personal status and sex, and how sure the model is.
        """
    )
    return


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
        sensitive_features=["personal_status_and_sex"],
        name="credit model",
        random_state=0,
    )
    return rw, session


@app.cell
def _(rw, session):
    board = rw.Dashboard(session)
    board  # noqa: B018 (marimo shows a cell's last expression)
    return


if __name__ == "__main__":
    app.run()
