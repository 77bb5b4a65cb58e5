"""The ISLR/ISLP Wage dataset: regression on US survey data."""

from __future__ import annotations

from sklearn.utils import Bunch

from ._bunch import Attribution, make_bunch
from ._io import read_packaged_csv

__all__ = ["load_wage"]

_FILE = "wage.csv.gz"
_TARGET = "wage"
_LEAKS_TARGET = ("logwage",)
_SENSITIVE = ("race", "age", "maritl")
_DTYPES = {"year": "int64", "age": "int64", "logwage": "float64", "wage": "float64"}

ATTRIBUTION = Attribution(
    title="Wage (ISLR / ISLP)",
    summary=(
        "Wage and other data for 3,000 male workers in the Mid-Atlantic region of the US, "
        "survey years 2003-2009. The target is the worker's raw wage (the ISL book gives it in "
        "thousands of dollars). logwage, its natural logarithm, is kept in `frame` only: as a "
        "feature it would leak the target. Category labels keep their numeric prefixes "
        "('1. White', '2. Married', ...); region has a single value ('2. Middle Atlantic')."
    ),
    source=(
        "The Wage data of the ISLP 0.6.0 wheel, the Python companion of 'An Introduction to "
        "Statistical Learning' (the same data as the R packages ISLR and ISLR2). Assembled by "
        "Steve Miller (Inquidia Consulting, formerly Open BI) from the March 2011 Supplement to "
        "the Current Population Survey (CPS)."
    ),
    licence="BSD, as distributed in the ISLP package.",
    citation=(
        "James, G., Witten, D., Hastie, T., Tibshirani, R. & Taylor, J. (2023). An Introduction "
        "to Statistical Learning with Applications in Python. Springer. "
        "https://www.statlearning.com."
    ),
    packaging=(
        "islp_wage.csv gzip-compressed byte for byte. See rai_widgets/datasets/_data/BUILD.md."
    ),
)


def load_wage() -> Bunch:
    """Load the Wage dataset (ISLR/ISLP) shipped with rai_widgets.

    3,000 male workers in the US Mid-Atlantic region (survey years 2003-2009) described by
    9 features (2 integer columns, 7 text columns). The target ``wage`` is numeric
    (regression). No missing values. The data are read from a file inside the package;
    nothing is downloaded.

    Returns
    -------
    sklearn.utils.Bunch
        data : pandas.DataFrame
            The 9 features ``year``, ``age``, ``maritl``, ``race``, ``education``,
            ``region``, ``jobclass``, ``health``, ``health_ins``: text columns as plain
            strings (``object`` dtype on pandas 2, ``str`` on pandas 3), numbers as int64.
            Neither ``wage`` nor ``logwage`` (which would leak the target) is included.
        target : pandas.Series
            ``wage`` (float64): the worker's raw wage.
        frame : pandas.DataFrame
            ``data``, ``logwage`` and ``wage`` side by side.
        feature_names : list of str
            The columns of ``data``.
        sensitive_features : list of str
            ``["race", "age", "maritl"]``.
        DESCR : str
            Description, source, licence and citation.

    Notes
    -----
    Category labels keep their numeric prefixes (``"1. White"``, ``"2. Married"``), and
    ``region`` has a single value. As a regression dataset the Bunch has no
    ``target_names``.

    Source: the Wage data of the ``ISLP`` 0.6.0 wheel (also in the R packages ISLR and
    ISLR2), assembled by Steve Miller (Inquidia Consulting, formerly Open BI) from the March
    2011 Supplement to the Current Population Survey.

    Licence: BSD, as distributed in the ``ISLP`` package.

    Citation: James, G., Witten, D., Hastie, T., Tibshirani, R. & Taylor, J. (2023). An
    Introduction to Statistical Learning with Applications in Python. Springer.
    https://www.statlearning.com.

    Examples
    --------
    >>> from rai_widgets.datasets import load_wage
    >>> wage = load_wage()
    >>> wage.data.shape
    (3000, 9)
    >>> wage.target.name, str(wage.target.dtype)
    ('wage', 'float64')
    >>> "logwage" in wage.data.columns, "logwage" in wage.frame.columns
    (False, True)
    >>> wage.data["race"].value_counts().to_dict()
    {'1. White': 2480, '2. Black': 293, '3. Asian': 190, '4. Other': 37}
    """
    frame = read_packaged_csv(_FILE, dtype=_DTYPES)
    return make_bunch(
        frame,
        target=_TARGET,
        sensitive_features=_SENSITIVE,
        attribution=ATTRIBUTION,
        not_features=_LEAKS_TARGET,
    )
