"""Every public function validates its parameters, with scikit-learn's messages.

Modelled on scikit-learn's own ``sklearn/tests/test_public_functions.py``.
"""

import importlib
import inspect
from inspect import signature

import pytest
from sklearn.utils._param_validation import (
    InvalidParameterError,
    generate_invalid_param_val,
    generate_valid_param,
    make_constraint,
)

from tests.test_docstrings import INTERNAL_MODULES, PUBLIC_MODULES

# Functions that are not called with user parameters: a scorer is called by
# scikit-learn's model selection as scorer(estimator, X, y).
NOT_VALIDATED = {"sklearn_klrhop.model_selection.recall_scorer"}


def _functions():
    for name in PUBLIC_MODULES + INTERNAL_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) and obj.__module__.startswith("sklearn_klrhop"):
                qualname = f"{name}.{attr}"
                if qualname not in NOT_VALIDATED and name in PUBLIC_MODULES + [
                    "sklearn_klrhop.retrieval"
                ]:
                    yield qualname, obj


FUNCTIONS = dict(_functions())


def test_the_list_is_not_empty():
    assert len(FUNCTIONS) >= 10


@pytest.mark.parametrize("qualname", FUNCTIONS)
def test_function_param_validation(qualname):
    func = FUNCTIONS[qualname]
    name = func.__name__
    constraints = getattr(func, "_skl_parameter_constraints", None)
    assert constraints is not None, f"{qualname} does not validate its parameters"
    params = [
        p
        for p in signature(func).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    assert set(constraints) == {p.name for p in params}
    required = {
        p.name: (
            1
            if constraints[p.name] == "no_validation"
            else generate_valid_param(make_constraint(constraints[p.name][0]))
        )
        for p in params
        if p.default is p.empty
    }
    bad_type = type("BadType", (), {})()
    for param in params:
        if constraints[param.name] == "no_validation":
            continue
        match = rf"The '{param.name}' parameter of {name} must be .* Got .* instead."
        with pytest.raises(InvalidParameterError, match=match):
            func(**{**required, param.name: bad_type})
        for constraint in map(make_constraint, constraints[param.name]):
            try:
                bad = generate_invalid_param_val(constraint)
            except NotImplementedError:
                continue
            with pytest.raises(InvalidParameterError, match=match):
                func(**{**required, param.name: bad})
