"""The codec's error messages: the input's name, what is accepted, the values shown.

Each expected message is written out from the rule the codec documents
(scikit-learn's first line, its period, then what is accepted).
"""

import os

import numpy as np
import pytest

import sklearn_klrhop
from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop._encoding import (
    ACCEPTED,
    BINARIZE_HINT,
    StateCodec,
    _explain_dtype_error,
    is_label_vector,
    read_cues,
    read_states,
    read_targets,
    stored_index,
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


# The targets of a heteroassociative fit: every refusal, message in full.


def _refusal(func, *args, **kwargs):
    with pytest.raises(ValueError) as info:
        func(*args, **kwargs)
    return str(info.value)


def test_targets_must_be_2d_with_a_row_per_pattern():
    assert _refusal(read_targets, np.ones(4), 4) == (
        "y must be 2-D, one target state per pattern (a 1-D y is a label vector "
        "and is ignored); got an array of shape (4,)."
    )
    assert _refusal(read_targets, np.ones((3, 2)), 4) == (
        "y has 3 rows but X has 4; pass one target state per stored pattern."
    )
    # scikit-learn's own check refuses a target of no bits
    assert "0 feature(s)" in _refusal(read_targets, np.ones((4, 0)), 4)


def test_targets_of_strings_and_nan_are_refused_with_what_is_accepted():
    message = _refusal(read_targets, [["a", "b"]] * 4, 4)
    assert message.endswith(". y must be a numeric 2-D array-like of target states.")
    assert ".." not in message
    assert _refusal(read_targets, [[np.nan, 1.0]] * 4, 4).startswith(
        "Input y contains NaN."
    )


def test_targets_are_read_in_their_own_encoding_or_with_binarize():
    T, codec = read_targets(np.array([[0, 1], [1, 1]]), 2)
    np.testing.assert_array_equal(T, [[-1, 1], [1, 1]])
    assert codec.encoding == "binary"
    T, codec = read_targets(np.array([[0.2, 0.9], [0.7, 0.1]]), 2, binarize=0.5)
    np.testing.assert_array_equal(T, [[-1, 1], [1, -1]])
    assert codec.threshold == 0.5
    assert _refusal(read_targets, np.array([[0, 2], [1, 1]]), 2) == (
        "y must hold binary states encoded as -1 / +1, 0 / 1 or bool; found values "
        "[2]." + BINARIZE_HINT
    )


def test_unstored_rows_in_score_are_counted_and_attributed_to_the_caller():
    X = np.array([[1, -1, 1, -1], [1, 1, -1, -1], [-1, -1, 1, 1]])
    memory = KLRHopfieldMemory().fit(X[:2])
    cues = np.vstack([X, -X[:1]])  # two of the four rows were never stored
    with pytest.warns(UserWarning) as record:
        memory.score(cues)
    (warning,) = record
    assert str(warning.message) == (
        "2 of the 4 rows passed to score were never stored, so they cannot be "
        "recalled and count as failures. Score on stored patterns "
        "(model_selection.StoredPatternSplit) or use model_selection.recall_scorer "
        "with explicit (cue, target) pairs."
    )
    # the frame of the caller, not one in the package (a mutation tester's
    # trampoline may add a frame of its own in between)
    package = os.path.dirname(sklearn_klrhop.__file__)
    assert not warning.filename.startswith(package)


def test_stored_index_finds_the_first_equal_row_in_every_block():
    rng = np.random.RandomState(0)
    patterns = np.where(rng.rand(9000, 20) > 0.5, 1.0, -1.0)
    patterns[5000:5100] = patterns[:100]  # repeated rows: the first one counts
    S = patterns[rng.randint(0, 9000, size=2500)]
    S[::7] = -1.0  # never stored
    # 2**24 // 9000 = 1864 rows per block: two blocks
    index = stored_index(S, patterns)
    first = {}
    for i, row in enumerate(map(tuple, patterns)):  # reference: a plain loop
        first.setdefault(row, i)
    expected = [first.get(tuple(row), -1) for row in S]
    assert index.dtype.kind == "i"
    np.testing.assert_array_equal(index, expected)
    assert np.count_nonzero(index == -1) == len(S[::7])


def test_cues_of_a_fitted_memory_are_refused_in_full_and_nothing_changes():
    X = np.array([[1, -1, 1, -1], [1, 1, -1, -1]])
    memory = KLRHopfieldMemory().fit(X)
    for method in (memory.predict, memory.decision_function, memory.energy):
        assert _refusal(method, [[1, 2, 1, -1]]) == (
            "X must hold states encoded as -1 / +1, like the patterns this memory "
            "was fitted with; found values [2]." + BINARIZE_HINT
        )
        # the width is checked against the fit, and the fit is left as it was
        assert _refusal(method, [[1, -1, 1]]) == (
            "X has 3 features, but KLRHopfieldMemory is expecting 4 features as input."
        )
        assert memory.n_features_in_ == 4
    assert _refusal(StateCodec.from_data, np.array([[0, 2]])) == (
        "X must hold binary states encoded as -1 / +1, 0 / 1 or bool; found values [2]."
    )


def test_targets_given_to_score_are_read_like_the_fitted_ones():
    rng = np.random.RandomState(0)
    X = np.where(rng.rand(6, 12) > 0.5, 1.0, -1.0)
    memory = KLRHopfieldMemory().fit(X[:-1], X[1:])  # a sequence
    assert memory.score(X[:-1], X[1:]) == 1.0
    assert _refusal(memory.score, X[:-1], X[1:, :3]) == (
        "y has 3 target bits per row but the memory was fitted with 12."
    )
    assert "y has 4 rows but X has 5" in _refusal(memory.score, X[:-1], X[1:-1])
    # real-valued data through binarize: the targets are thresholded as well
    real = X + rng.uniform(-0.5, 0.5, X.shape)
    memory = KLRHopfieldMemory(binarize=0.0).fit(real[:-1], real[1:])
    assert memory.score(real[:-1], real[1:]) == 1.0
    assert memory.score(real[:-1], -real[1:]) == 0.0


def test_only_a_1d_y_is_a_label_vector():
    assert is_label_vector(np.arange(3))
    assert is_label_vector([0, 1, 1])
    assert not is_label_vector(None)
    assert not is_label_vector(np.ones((3, 1)))
