"""newton-cg's safeguards: the line search and the descent fallback of CG.

The convex, well-scaled problems of the other tests never need them, so each
case here is built to: a direction far too long, a full step that lands back
at the starting level, a step whose decrease f cannot resolve, a zero
direction, a full step worth extending and one that is not, and a CG solve
that breaks down. With K = I the objective of each entry is separate, so the
expected step of every column follows from scalar arithmetic in the test.
"""

import warnings

import numpy as np
from scipy.optimize import brentq

from sklearn_klrhop.solvers._loss import LogisticLoss
from sklearn_klrhop.solvers._newton_cg import _LockstepNewton

LAM = 0.01
TARGETS = np.array([1, 0, 1, 1, 0, 0, 1, 0], dtype=float)  # one column's T
SIGNS = 2 * TARGETS - 1


def _f(a):
    # objective of one column with K = I, so that the fields are a
    return np.sum(np.logaddexp(0, a)) - TARGETS @ a + LAM / 2 * a @ a


def _residual(a):
    return 1 / (1 + np.exp(-a)) - TARGETS + LAM * a


def _reference_step(a, d):
    """The documented rule as it applies to the cases built here, one column
    at a time, in plain float64 arithmetic (the library adds a bound on the
    rounding of f to the Armijo test, and a column below that rounding
    whose residual falls may still be halved or extended; no case here is
    either).

    Armijo backtracking (sufficient decrease 1e-4 of the slope, halving, at
    most 40 trials; a column that finds no decrease stays where it is); where
    the predicted decrease is below the rounding of f, the step is judged by
    the largest residual instead; a full step that still descends at more
    than a tenth of its initial slope is extended along the secant of the
    slope, at most 4 times, and kept only if f is no larger there.
    """
    slope = _residual(a) @ d
    if -slope <= np.finfo(float).eps * abs(_f(a)):
        lower = np.abs(_residual(a + d)).max() < np.abs(_residual(a)).max()
        return 1.0 if lower else 0.0
    t = 1.0
    for _ in range(40):
        if _f(a + t * d) <= _f(a) + 1e-4 * t * slope:
            break
        t /= 2
    else:
        return 0.0
    ratio = _residual(a + d) @ d / slope
    if t == 1.0 and ratio > 0.1:
        t_ext = min(1 / (1 - ratio), 4.0)
        if _f(a + t_ext * d) <= _f(a + d):
            return t_ext
    return t


def _cases():
    zero = np.zeros(len(TARGETS))
    v = -_residual(zero)  # steepest descent at zero (K = I)
    slope = _residual(zero) @ v
    # the full step lands where f is back at its starting value
    c_level = brentq(lambda c: _f(c * v) - _f(zero), 5, 100)
    # the half step decreases f by 1e-4 of the full step's slope: between
    # the 0.5e-4 that Armijo asks at t = 1/2 and what a stricter rule asks
    c_half = brentq(lambda c: _f(c * v / 2) - _f(zero) - 1e-4 * c * slope, 5, 200)
    tiny = np.zeros(len(TARGETS))
    tiny[0] = 1e-16 * v[0]  # lowers one residual entry, not the largest
    return {
        "far too long": (zero, 200 * v),
        "back at the start level": (zero, c_level * v),
        "half step just sufficient": (zero, c_half * v),
        # from fields saturated on the wrong side: full steps that fall short
        "extension better": (-20 * SIGNS, 21.0 * SIGNS),
        "extension worse": (-20 * SIGNS, 20.2 * SIGNS),
        "below the rounding of f": (zero, tiny),
        "zero": (zero, zero),
    }


def test_line_search_takes_the_documented_step_in_every_column():
    cases = _cases()
    A0 = np.column_stack([a for a, _ in cases.values()])
    d = np.column_stack([d for _, d in cases.values()])
    T = np.repeat(TARGETS[:, None], len(cases), axis=1)
    K = np.eye(len(TARGETS))
    loss = LogisticLoss(T, LAM)
    newton = _LockstepNewton(K.astype(np.float32), K, loss, None, max_cg=50)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a zero direction divides nothing by zero
        trial = newton._line_search(loss.at(A0, A0.copy()), d, d.copy())
    expected = {name: _reference_step(a, step) for name, (a, step) in cases.items()}
    # each case reaches the branch it was built for
    assert expected["far too long"] == 1 / 16
    assert expected["back at the start level"] == 0.5
    assert expected["half step just sufficient"] == 0.5
    assert 1 < expected["extension better"] < 4
    assert expected["extension worse"] == 1.0
    assert expected["below the rounding of f"] == expected["zero"] == 0.0
    for j, name in enumerate(cases):
        a, step = cases[name]
        np.testing.assert_allclose(
            trial.A[:, j], a + expected[name] * step, rtol=1e-12, atol=0, err_msg=name
        )
    np.testing.assert_array_equal(trial.Z, trial.A)  # the fields moved with A
    np.testing.assert_allclose(
        trial.f, [_f(trial.A[:, j]) for j in range(len(cases))], rtol=1e-12
    )


def test_cg_breakdown_falls_back_to_minus_the_residual():
    # K32 = I - 3 e e^T with e along the residual: the CG direction has
    # negative curvature at once (float32 breakdown in practice), so CG
    # returns no step; a zero step is no descent, and the direction must be
    # -R, with K32 (-R) as its fields.
    zero = np.zeros((len(TARGETS), 1))
    T = TARGETS[:, None]
    loss = LogisticLoss(T, LAM)
    point = loss.at(zero, zero.copy())
    e = point.R / np.linalg.norm(point.R)
    K32 = (np.eye(len(TARGETS)) - 3 * e @ e.T).astype(np.float32)
    newton = _LockstepNewton(K32, np.eye(len(TARGETS)), loss, None, max_cg=50)
    d, Kd = newton._direction(point)
    np.testing.assert_array_equal(d, -point.R.astype(np.float32))
    np.testing.assert_allclose(Kd, K32 @ d, rtol=1e-6)
