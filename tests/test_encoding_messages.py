"""The codec's error messages: the input's name, what is accepted, the values shown.

Each expected message is written out from the rule the codec documents
(scikit-learn's first line, its period, then what is accepted).
"""

import numpy as np
import pytest

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop._encoding import (
    ACCEPTED,
    BINARIZE_HINT,
    StateCodec,
    _explain_dtype_error,
    read_cues,
    read_states,
)


def test_the_first_line_is_kept_without_its_period_and_trailing_space():
    exc = ValueError("Complex data not supported.  \n[[1j]]")
    clearer = _explain_dtype_error(exc, "Accepted: bits.")
    assert str(clearer) == "Complex data not supported. Accepted: bits."
    # a message that is not about the dtype is left alone
    assert _explain_dtype_error(ValueError("Found array with 0 sample(s)"), "") is None


def test_strings_are_refused_with_what_is_accepted():
    with pytest.raises(ValueError) as info:
        read_states([["a", "b"]], name="patterns")
    message = str(info.value)
    assert message.endswith(
        ". patterns must be a numeric 2-D array-like of binary states."
    )
    assert ".." not in message


def test_the_input_is_named_in_scikit_learns_own_checks():
    with pytest.raises(ValueError, match="Input patterns contains NaN"):
        read_states([[np.nan, 1.0]], name="patterns")


@pytest.fixture(scope="module")
def memory():
    X = np.array([[1, -1, 1, -1], [1, 1, -1, -1]])
    return KLRHopfieldMemory().fit(X)


def test_cues_of_a_fitted_memory_are_named_and_explained(memory):
    with pytest.raises(ValueError) as info:
        read_cues(memory, [["a", "b", "c", "d"]])
    message = str(info.value)
    assert message.endswith(". " + ACCEPTED)
    assert ".." not in message
    with pytest.raises(ValueError, match=r"^cues must hold states encoded as -1 / \+1"):
        read_cues(memory, [[1, 0, 1, -1]], name="cues")


def test_at_most_five_offending_values_are_shown():
    with pytest.raises(ValueError, match=r"found values \[2, 3, 4, 5, 6\]\. Set"):
        StateCodec.from_data(np.array([[2, 3, 4, 5, 6, 7, 8]]), hint=BINARIZE_HINT)
    codec = StateCodec.from_data(np.array([[1, -1]]))
    with pytest.raises(ValueError, match=r"found values \[2, 3, 4, 5, 6\]\. Set"):
        codec.read(np.array([[2, 3, 4, 5, 6, 7, 8]]))


def test_patterns_of_only_ones_say_how_they_were_read():
    codec = StateCodec.from_data(np.ones((2, 3), dtype=int))
    assert codec.only_ones
    with pytest.raises(ValueError) as info:
        codec.read(np.zeros((1, 3), dtype=int))
    assert str(info.value).endswith(
        "found values [0]. The fitted patterns contain only 1, which is read as "
        "-1 / +1; fit bool patterns to use the 0 / 1 encoding." + BINARIZE_HINT
    )
