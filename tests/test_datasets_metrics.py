import numpy as np
import pytest

from sklearn_klrhop.datasets import corrupt, load_digit_patterns, make_patterns
from sklearn_klrhop.metrics import hamming, overlap, recall_score


def test_make_patterns_is_balanced_and_seeded():
    X = make_patterns(200, 100, random_state=0)
    assert set(np.unique(X)) == {-1.0, 1.0}
    assert abs(X.mean()) < 0.02
    np.testing.assert_array_equal(X, make_patterns(200, 100, random_state=0))


@pytest.mark.parametrize("noise, flips", [(0.0, 0), (0.2, 10), (0.33, 17), (1.0, 50)])
def test_corrupt_flips_exact_number_of_distinct_bits(noise, flips):
    X = make_patterns(30, 50, random_state=1)
    cues = corrupt(X, noise, random_state=2)
    np.testing.assert_array_equal(hamming(X, cues), flips)
    np.testing.assert_allclose(overlap(X, cues), 1 - 2 * flips / 50)


def test_corrupt_rejects_bad_input():
    with pytest.raises(ValueError, match="'noise' parameter"):
        corrupt(np.ones((2, 3)), 1.5)
    with pytest.raises(
        ValueError, match=r"X must hold binary states.*found values \[0.5\]"
    ):
        corrupt(np.full((2, 3), 0.5), 0.1)
    with pytest.raises(ValueError, match=r"found values \[-1, 0, 1\]"):
        corrupt(np.array([[-1, 0, 1]]), 0.1)


@pytest.mark.parametrize(
    "encode",
    [
        lambda X: X,
        lambda X: X.astype(np.int8),
        lambda X: (X > 0).astype(np.uint8),
        lambda X: (X + 1) / 2,
        lambda X: X > 0,
    ],
    ids=["bipolar", "int8", "binary-uint8", "binary-float", "bool"],
)
def test_corrupt_answers_in_the_encoding_it_was_given(encode):
    X = make_patterns(20, 30, random_state=3)
    data = encode(X)
    cues = corrupt(data, 0.2, random_state=4)
    assert cues.shape == data.shape
    if data.dtype.kind in "biu":
        assert cues.dtype == data.dtype
    assert set(np.unique(cues).tolist()) <= set(np.unique(data).tolist())
    # the same bits flip whatever the encoding
    reference = corrupt(X, 0.2, random_state=4)
    np.testing.assert_array_equal(hamming(reference, cues), 0)
    np.testing.assert_array_equal(hamming(data, cues), 6)


def test_recall_score_criteria():
    y = np.ones((4, 10))
    pred = y.copy()
    pred[0, 0] = -1  # overlap 0.8
    assert recall_score(y, pred) == 0.75
    assert recall_score(y, pred, criterion=0.8) == 1.0
    with pytest.raises(ValueError, match="same width"):
        recall_score(y, pred[:, :5])


def test_digit_patterns_are_bundled_bipolar():
    digits = load_digit_patterns()
    assert digits.data.shape == (1797, 64)
    assert set(np.unique(digits.data)) == {-1.0, 1.0}
    X, y = load_digit_patterns(return_X_y=True)
    np.testing.assert_array_equal(X, digits.data)


def test_metrics_read_each_array_in_its_own_encoding():
    # 0/1, bool and -1/+1 rows with the same meaning compare equal, so the
    # metrics agree with model_selection.recall_scorer on the same input.
    assert hamming([[0, 1, 1]], [[-1, 1, 1]]).tolist() == [0]
    assert recall_score([[True, False]], [[1, -1]]) == 1.0
    assert overlap([[0, 0, 1, 1]], [[False, True, True, True]]).tolist() == [0.5]


@pytest.mark.parametrize("noise, flips", [(0.25, 3), (0.35, 4), (0.45, 5), (0.2, 2)])
def test_corrupt_rounds_halves_up(noise, flips):
    X = make_patterns(5, 10, random_state=0)
    np.testing.assert_array_equal(hamming(X, corrupt(X, noise, random_state=0)), flips)
