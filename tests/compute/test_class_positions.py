"""class_positions: the same positions as ``Index.get_indexer`` on every kind of label array."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rai_widgets.compute.class_positions import class_positions


def test_arrow_labels_match_get_indexer_on_objects(adult):
    labels = adult.target.array  # pandas' Arrow-backed strings
    assert isinstance(labels, pd.api.extensions.ExtensionArray)
    classes = pd.Index(np.unique(adult.target.to_numpy(dtype=object)))
    expected = classes.get_indexer(adult.target.to_numpy(dtype=object))
    got = class_positions(classes, labels)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype and set(np.unique(got)) == {0, 1}
    # a class the labels never take, and labels that are not classes, as get_indexer has them
    fewer = pd.Index([classes[1], "no such class"])
    np.testing.assert_array_equal(
        class_positions(fewer, labels), fewer.get_indexer(adult.target.to_numpy(dtype=object))
    )


def test_nullable_categorical_and_plain_arrays_match_get_indexer():
    classes = pd.Index([0, 1, 2])
    for values in (
        pd.array([2, 0, 1, 5, 2], dtype="Int64"),
        pd.Categorical([2, 0, 1, 5, 2]),
        np.array([2, 0, 1, 5, 2]),
    ):
        np.testing.assert_array_equal(
            class_positions(classes, values), classes.get_indexer(np.asarray(values))
        )
    # plain object arrays keep get_indexer's own equality: True is not the class 1
    flags = np.array([True, 1, 0], dtype=object)
    np.testing.assert_array_equal(class_positions(classes, flags), classes.get_indexer(flags))
