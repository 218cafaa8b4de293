"""The codec: every accepted encoding read to -1 / +1 and written back."""

import numpy as np
import pytest

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop._encoding import (
    StateCodec,
    fraction_count,
    read_states,
    stored_targets,
)
from sklearn_klrhop.datasets import make_patterns


@pytest.mark.parametrize(
    "data, encoding, dtype",
    [
        (np.array([[-1.0, 1.0]]), "bipolar", np.float64),
        (np.array([[-1, 1]], dtype=np.int8), "bipolar", np.int8),
        (np.array([[0, 1]], dtype=np.uint8), "binary", np.uint8),
        (np.array([[0.0, 1.0]], dtype=np.float32), "binary", np.float64),
        (np.array([[False, True]]), "bool", bool),
    ],
)
def test_read_and_write_round_trip(data, encoding, dtype):
    S, codec = read_states(data)
    assert codec.encoding == encoding
    np.testing.assert_array_equal(S, [[-1.0, 1.0]])
    assert S.dtype == np.float64
    out = codec.write(S)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, data)


def test_binarize_threshold_reads_any_real_value():
    codec = StateCodec.from_data(np.array([[3.0, 9.0]]), binarize=8)
    np.testing.assert_array_equal(
        codec.read(np.array([[8.0, 8.5, -2.0]])), [[-1, 1, -1]]
    )
    assert codec.write(np.array([[-1.0, 1.0]])).dtype == np.float64


def test_messages_name_the_values_and_what_is_accepted():
    with pytest.raises(ValueError, match=r"y must hold binary states.*\[0.5\]"):
        read_states([[0.5, 1.0]], "y")
    codec = StateCodec.from_data(np.array([[-1.0, 1.0]]))
    with pytest.raises(ValueError, match=r"encoded as -1 / \+1.*\[0.0\].*binarize"):
        codec.read(np.array([[0.0, 1.0]]))
    ones = StateCodec.from_data(np.ones((2, 3), dtype=int))
    assert ones.encoding == "bipolar"
    with pytest.raises(ValueError, match="contain only 1.*fit bool patterns"):
        ones.read(np.array([[0, 1, 1]]))
    with pytest.raises(ValueError, match="bytes/strings.*binary states"):
        read_states([["a", "b"]])


@pytest.mark.parametrize(
    "fraction, n, expected",
    [
        (0.25, 10, 3),
        (0.35, 10, 4),
        (0.45, 10, 5),
        (0.2, 10, 2),
        (0.0, 10, 0),
        (1, 7, 7),
    ],
)
def test_fraction_count_rounds_halves_up(fraction, n, expected):
    count = fraction_count(fraction, n)
    assert count == expected
    assert count.dtype.kind == "i"  # a count, usable as an index


def test_stored_targets_of_stored_and_unstored_rows():
    # score(X) without y: the target of a stored row is what it was stored
    # with (a heteroassociative memory) or the row itself; an unstored row
    # is counted and warned about.
    X = make_patterns(6, 16, random_state=0)
    Y = make_patterns(6, 5, random_state=1)
    new = -X[:2]  # never stored
    rows = np.vstack([X[3], new[0], X[0], new[1], X[5]])
    hetero = KLRHopfieldMemory().fit(X, Y)
    auto = KLRHopfieldMemory().fit(X)
    with pytest.warns(UserWarning) as log:
        T, stored = stored_targets(hetero, rows)
    assert str(log[0].message).startswith(
        "2 of the 5 rows passed to score were never stored"
    )
    np.testing.assert_array_equal(stored, [True, False, True, False, True])
    np.testing.assert_array_equal(T[stored], Y[[3, 0, 5]])
    T, stored = stored_targets(auto, X[[4, 1]])
    np.testing.assert_array_equal(T, X[[4, 1]])
    np.testing.assert_array_equal(stored, [True, True])
