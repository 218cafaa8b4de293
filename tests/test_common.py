"""scikit-learn's common estimator checks."""

import functools
import re

import numpy as np
import pytest
from sklearn.utils.estimator_checks import (
    check_param_validation,
    estimator_checks_generator,
)

from sklearn_klrhop import (
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
)

_NON_BINARY = (
    "the check fits on real-valued data; without `binarize` a memory accepts only "
    "binary patterns (-1/+1, 0/1, bool) and says so with a ValueError"
)
# What the memory says (the codec's refusal of non-binary data).
_NON_BINARY_MESSAGE = re.compile(
    r"X must hold binary states encoded as -1 / \+1, 0 / 1 or bool; found values "
    r"\[.*\]\. Set binarize=<threshold>"
)
# Checks that feed real-valued X to the default instance (binarize=None), with
# the exception each one ends in: the memory's ValueError, or the
# AssertionError of a check that reports the memory's ValueError.
_DEFAULT_INSTANCE_XFAIL = {
    **dict.fromkeys(
        [
            "check_fit_score_takes_y",
            "check_estimators_overwrite_params",
            "check_dont_overwrite_parameters",
            "check_estimators_fit_returns_self",
            "check_readonly_memmap_input",
            "check_n_features_in_after_fitting",
            "check_estimators_dtypes",
            "check_dtype_object",
            "check_pipeline_consistency",
            "check_estimators_nan_inf",
            "check_estimators_pickle",
            "check_f_contiguous_array_estimator",
            "check_transformer_data_not_an_array",
            "check_transformer_general",
            "check_transformer_n_iter",
            "check_methods_sample_order_invariance",
            "check_methods_subset_invariance",
            "check_dict_unchanged",
            "check_fit_idempotent",
            "check_fit_check_is_fitted",
            "check_n_features_in",
            "check_fit2d_predict1d",
        ],
        ValueError,
    ),
    # these checks catch the ValueError and fail with their own AssertionError
    **dict.fromkeys(
        [
            "check_positive_only_tag_during_fit",
            "check_fit2d_1sample",
            "check_fit2d_1feature",
        ],
        AssertionError,
    ),
}


# Storkey's rule has no heteroassociative form and refuses 2-D targets other
# than X; the checks fit with 1-D class labels, which every memory ignores (as
# transformers do), so Storkey passes them all.
_NO_TARGETS_MESSAGE = re.compile(r"Storkey's rule subtracts the crosstalk")


class _UnexpectedFailure(Exception):
    """A check expected to fail with the memory's refusal failed for another reason."""


def _check_name(check):
    return getattr(check, "func", check).__name__


def _fails_only_with(check, message):
    """Run ``check``; pass its exception on only if a refusal matching
    ``message`` (a compiled pattern) caused it.

    Any other failure becomes ``_UnexpectedFailure``, which the strict xfail
    (``raises=`` the expected type) does not accept.
    """

    @functools.wraps(check)
    def run(estimator):
        try:
            check(estimator)
        except (ValueError, AssertionError) as exc:
            messages = [str(exc), str(exc.__cause__), str(exc.__context__)]
            if not any(message.search(m) for m in messages):
                raise _UnexpectedFailure(f"{type(exc).__name__}: {exc}") from exc
            raise

    return run


# NaN marks the unknown bits of partial cues, which predict and transform
# complete; this check wants NaN refused there (fit refuses it).
_PARTIAL_CUES = (
    "the check wants predict and transform to refuse NaN; there NaN marks the "
    "unknown bits of a partial cue"
)
_PARTIAL_CUES_MESSAGE = re.compile(
    r"doesn't check for NaN and inf in (predict|transform)"
)


def _expected_failure(estimator, name):
    """``(exception type, message pattern, reason)`` of a pinned check, or None."""
    if estimator.binarize is None and name in _DEFAULT_INSTANCE_XFAIL:
        return _DEFAULT_INSTANCE_XFAIL[name], _NON_BINARY_MESSAGE, _NON_BINARY
    if name == "check_estimators_nan_inf":
        return AssertionError, _PARTIAL_CUES_MESSAGE, _PARTIAL_CUES
    return None


ESTIMATORS = [
    KLRHopfieldMemory(binarize=0.0),
    KLRHopfieldMemory(binarize=0.0, update="async", random_state=0),
    KLRHopfieldMemory(binarize=0.0, loss="squared"),
    KLRHopfieldMemory(),
    HebbianHopfieldMemory(binarize=0.0),
    StorkeyHopfieldMemory(binarize=0.0),
    PseudoinverseHopfieldMemory(binarize=0.0),
    LinearLogisticHopfieldMemory(binarize=0.0),
    ModernHopfieldMemory(binarize=0.0),
]


def _checks():
    """scikit-learn's checks of every estimator, the expected failures pinned.

    ``parametrize_with_checks`` marks expected failures with a reason only;
    here each is a strict xfail that accepts only the exception type listed
    above and, through ``_fails_only_with``, only the memory's own refusal
    (of non-binary data).
    """
    for estimator in ESTIMATORS:
        for est, check in estimator_checks_generator(estimator, legacy=True):
            expected = _expected_failure(est, _check_name(check))
            marks, test_id = (), _check_id(est, check)
            if expected is not None:
                raises, message, reason = expected
                check = _fails_only_with(check, message)
                marks = pytest.mark.xfail(raises=raises, strict=True, reason=reason)
            yield pytest.param(est, check, marks=marks, id=test_id)


def _check_id(estimator, check):
    # as parametrize_with_checks names them: Estimator(params)-check(kwargs)
    args = getattr(check, "keywords", {})
    extra = ", ".join(f"{k}={v}" for k, v in args.items())
    name = _check_name(check) + (f"({extra})" if extra else "")
    return re.sub(r"\s", "", str(estimator)) + "-" + name


def test_every_expected_failure_is_a_check_of_the_default_instance():
    names = {
        _check_name(c)
        for _, c in estimator_checks_generator(KLRHopfieldMemory(), legacy=True)
    }
    assert set(_DEFAULT_INSTANCE_XFAIL) <= names


@pytest.mark.parametrize("estimator, check", list(_checks()))
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS[:1], ids=lambda e: type(e).__name__)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


def test_pinned_xfail_passes_only_the_memorys_refusal_on():
    def refusal(estimator):
        raise ValueError(
            "X must hold binary states encoded as -1 / +1, 0 / 1 or bool; found "
            "values [0.5]. Set binarize=<threshold> (for example binarize=0.0)"
        )

    def crash(estimator):
        raise ValueError("unsupported operand type(s) for +: 'int' and 'str'")

    def reported(estimator):
        try:
            refusal(estimator)
        except ValueError as exc:
            raise AssertionError("the check's own words") from exc

    with pytest.raises(ValueError, match="must hold binary states"):
        _fails_only_with(refusal, _NON_BINARY_MESSAGE)(None)
    with pytest.raises(AssertionError, match="own words"):
        _fails_only_with(reported, _NON_BINARY_MESSAGE)(None)
    with pytest.raises(_UnexpectedFailure, match="unsupported operand"):
        _fails_only_with(crash, _NON_BINARY_MESSAGE)(None)


def test_storkey_accepts_y_equal_to_x_and_refuses_other_targets():
    X = np.where(np.random.RandomState(0).rand(6, 12) < 0.5, -1.0, 1.0)
    np.testing.assert_array_equal(
        StorkeyHopfieldMemory().fit(X, X).weights_,
        StorkeyHopfieldMemory().fit(X).weights_,
    )
    with pytest.raises(ValueError, match=_NO_TARGETS_MESSAGE):
        StorkeyHopfieldMemory().fit(X, X[:, :3])
