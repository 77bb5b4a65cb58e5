"""The explainers' codec: a decoded frame is the model's to keep or edit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rai_widgets.core.codec import TabularCodec


@pytest.mark.parametrize("layout", ["rows first", "columns first"])
def test_a_decoded_frame_shares_no_memory_with_the_codes(adult, layout):
    """Explainers reuse their encoded perturbations after the model call, and a model may
    write into the frame it is given: every decoded column is a copy of the codes."""
    X = adult.data[["age", "hours-per-week", "education-num", "workclass", "sex"]].iloc[:500]
    X = X.astype({"hours-per-week": "Int64"})  # an extension dtype too
    codec = TabularCodec.fit(X)
    Z = codec.encode(X) + 0.25  # perturbed numbers are not whole: decoded as floats
    Z[:, 3:] = codec.encode(X)[:, 3:]  # text codes stay codes
    if layout == "columns first":  # the explainers' own layout: each column contiguous
        Z = np.asfortranarray(Z)
    kept = Z.copy()
    frame = codec.decode(Z)
    for column in frame.columns:
        assert not np.shares_memory(np.asarray(frame[column]), Z), column
        if pd.api.types.is_numeric_dtype(frame[column]):
            frame.loc[:, column] = -1  # the model edits its input in place
    np.testing.assert_array_equal(Z, kept)


def test_a_missing_text_value_decodes_to_the_object_pandas_gives(adult):
    """pandas hands a model ``np.nan`` itself for a missing text value; so does the decoder:
    scikit-learn's encoders find that very object in their category table at once."""
    X = adult.data[["workclass", "sex"]].iloc[:2_000]
    assert X["workclass"].isna().any()
    codec = TabularCodec.fit(X)
    decoded = codec.decode(codec.encode(X))["workclass"].to_numpy(dtype=object)
    given = X["workclass"].to_numpy(dtype=object)  # what the model gets from the user's data
    missing = pd.isna(given)
    assert all(v is np.nan for v in decoded[missing])
    assert decoded[~missing].tolist() == given[~missing].tolist()
