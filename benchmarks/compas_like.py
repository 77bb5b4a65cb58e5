"""A COMPAS-like synthetic data set of any size, and the model the benchmarks fit on it.

The columns follow the published COMPAS two-year recidivism data: age, priors count, juvenile
counts, days between arrest and screening, charge degree and a charge description (many
values), with race and sex as the sensitive features; ``two_year_recid`` depends on age, priors,
the charge and (weakly) the groups, with noise, so the model is far from perfect (about 70%
accurate, like the real data).

Examples
--------
>>> X, y = compas_like(1_000, seed=0)
>>> sorted(X.columns)[:3]
['age', 'c_charge_degree', 'c_charge_desc']
>>> len(X), set(y.unique()) <= {0, 1}
(1000, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RACES = ("African-American", "Caucasian", "Hispanic", "Other", "Asian", "Native American")
RACE_SHARES = (0.51, 0.34, 0.08, 0.055, 0.005, 0.01)
CHARGES = 40  # distinct charge descriptions


def compas_like(n: int, *, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """``n`` rows of COMPAS-like data: ``(X, y)`` with race and sex among X's columns."""
    rng = np.random.default_rng(seed)
    race = rng.choice(len(RACES), size=n, p=RACE_SHARES)
    sex = np.where(rng.random(n) < 0.81, "Male", "Female")
    age = np.clip(rng.gamma(4.0, 8.5, n) + 18, 18, 96).round().astype(int)
    priors = rng.poisson(np.where(race == 0, 4.2, 2.6) * np.clip(age / 35, 0.4, 1.6))
    juv_fel = rng.poisson(0.07, n)
    juv_misd = rng.poisson(0.09, n)
    days = np.clip(rng.normal(-1.5, 8.0, n), -30, 30).round().astype(int)
    degree = np.where(rng.random(n) < 0.64, "F", "M")
    desc = rng.zipf(1.6, n) % CHARGES
    logit = (
        -0.6
        + 0.17 * np.minimum(priors, 15)
        - 0.045 * (age - 35)
        + 0.25 * (degree == "F")
        + 0.4 * juv_fel
        + 0.15 * (sex == "Male")
        + 0.1 * (race == 0)
        + 0.02 * (desc % 7)
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = pd.DataFrame(
        {
            "age": age,
            "priors_count": priors,
            "juv_fel_count": juv_fel,
            "juv_misd_count": juv_misd,
            "days_b_screening_arrest": days,
            "c_charge_degree": degree,
            "c_charge_desc": pd.Categorical.from_codes(
                desc, [f"charge {i:02d}" for i in range(CHARGES)]
            ).astype(str),
            "race": np.asarray(RACES, dtype=object)[race],
            "sex": sex,
        }
    )
    return X, pd.Series(y, name="two_year_recid")


def compas_model(X: pd.DataFrame, y: pd.Series, kind: str = "hgb"):
    """One-hot encoding of the text columns, then HistGradientBoosting (``kind="hgb"``) or a
    scaled logistic regression (``kind="logistic"``), fitted on ``(X, y)``."""
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    head = (
        HistGradientBoostingClassifier(random_state=0)
        if kind == "hgb"
        else LogisticRegression(max_iter=1000)
    )
    return make_pipeline(encode, head).fit(X, y)
