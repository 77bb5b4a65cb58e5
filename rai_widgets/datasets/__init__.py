"""Real public datasets shipped inside rai_widgets, for examples, notebooks and tests.

Every loader reads a gzip CSV stored in the package (``rai_widgets/datasets/_data``) and
never downloads anything. Each returns a :class:`sklearn.utils.Bunch` with ``data`` (raw
features: text columns as plain strings, numbers as int64/float64, NaN for missing values),
``target`` (a named Series), ``frame``, ``feature_names``, ``sensitive_features`` and a
``DESCR`` with the source, licence and citation; classification datasets also have
``target_names``.

- :func:`load_adult`: Adult (Census Income), 48,842 x 14, binary, missing values.
- :func:`load_german_credit`: Statlog German credit, 1,000 x 20, binary, many categoricals.
- :func:`load_wage`: ISLR/ISLP Wage, 3,000 x 9, regression.

Examples
--------
>>> from rai_widgets.datasets import load_german_credit
>>> credit = load_german_credit()
>>> credit.sensitive_features
['personal_status_and_sex', 'age_in_years', 'foreign_worker']
"""

from ._adult import load_adult
from ._german_credit import load_german_credit
from ._wage import load_wage

__all__ = ["load_adult", "load_german_credit", "load_wage"]
