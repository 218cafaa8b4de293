"""StoredPatternSplit: cross-validation that tests a memory on what it stored."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import math
from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import check_random_state
from sklearn.utils.validation import _num_samples, indexable


class StoredPatternSplit(BaseCrossValidator):
    """Cross-validator that trains on every pattern and tests on a subset of them.

    An associative memory is judged on what it stored: each split stores all
    the patterns (the training indices are every row) and scores recall of a
    random subset of them (the test indices). With a memory's default
    ``score``, the test rows are corrupted at ``score_noise`` and must be
    recalled exactly, so :class:`~sklearn.model_selection.GridSearchCV` with
    this splitter selects the parameters that recall best. Ordinary splitters
    such as :class:`~sklearn.model_selection.KFold` would test on patterns the
    memory never stored.

    Parameters
    ----------
    n_splits : int, default=5
        Number of splits (independent random test subsets).
    test_size : float or int, default=0.2
        If float in (0, 1], the fraction of the patterns tested in each split
        (rounded up); if int, the absolute number of test patterns.
    random_state : int, RandomState instance or None, default=None
        Controls the test subsets. Pass an int for reproducible output across
        multiple function calls.

    See Also
    --------
    sklearn.model_selection.ShuffleSplit : Random test subsets whose training
        set excludes them.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_klrhop.model_selection import StoredPatternSplit
    >>> X = np.ones((6, 3))
    >>> cv = StoredPatternSplit(n_splits=3, test_size=0.5, random_state=0)
    >>> for train, test in cv.split(X):
    ...     print(train.tolist(), sorted(test.tolist()))
    [0, 1, 2, 3, 4, 5] [1, 2, 5]
    [0, 1, 2, 3, 4, 5] [1, 3, 4]
    [0, 1, 2, 3, 4, 5] [1, 3, 5]
    """

    def __init__(self, n_splits=5, *, test_size=0.2, random_state=None):
        if not isinstance(n_splits, Integral) or isinstance(n_splits, bool):
            raise TypeError(f"n_splits must be an integer; got {n_splits!r}.")
        if n_splits < 1:
            raise ValueError(f"n_splits must be at least 1; got {n_splits}.")
        self.n_splits = n_splits
        self.test_size = test_size
        self.random_state = random_state

    def _n_test(self, n_samples):
        size = self.test_size
        if isinstance(size, Integral) and not isinstance(size, bool):
            if not 1 <= size <= n_samples:
                raise ValueError(
                    f"test_size={size} must be between 1 and the number of "
                    f"patterns ({n_samples}) when it is an integer."
                )
            return int(size)
        if isinstance(size, Real) and not isinstance(size, bool) and 0 < size <= 1:
            return max(1, math.ceil(size * n_samples))
        raise ValueError(
            "test_size must be a float in (0, 1] (fraction of the patterns) or a "
            f"positive integer (number of patterns); got {size!r}."
        )

    def split(self, X, y=None, groups=None):
        """Generate train (all rows) and test (random subset) indices.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Patterns to store.
        y : Ignored
            Not used, present for API consistency by convention.
        groups : Ignored
            Not used, present for API consistency by convention.

        Yields
        ------
        train : ndarray of shape (n_samples,)
            Every row index.
        test : ndarray of shape (n_test,)
            A random subset of the row indices.
        """
        X, y, groups = indexable(X, y, groups)
        n_samples = _num_samples(X)
        n_test = self._n_test(n_samples)
        rng = check_random_state(self.random_state)
        train = np.arange(n_samples)
        for _ in range(self.n_splits):
            yield train.copy(), rng.permutation(n_samples)[:n_test]

    def _iter_test_indices(self, X=None, y=None, groups=None):
        for _, test in self.split(X, y, groups):
            yield test

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splitting iterations.

        Parameters
        ----------
        X, y, groups : object
            Always ignored, exist for compatibility.

        Returns
        -------
        n_splits : int
            The ``n_splits`` parameter.
        """
        return self.n_splits
