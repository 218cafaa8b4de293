"""Hopfield memory trained by kernel logistic (or ridge) regression."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from functools import partial
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import (
    Interval,
    Options,
    StrOptions,
    validate_params,
)

from .._base import BaseHopfieldMemory
from ..retrieval import Engine
from ..solvers import (
    SOLVERS,
    choose_solver,
    isolated_coefficients,
    solve_klr,
    solve_krr,
)
from ._kernels import (
    OVERLAP_KERNELS,
    check_dense_gram_fits,
    dense_gram,
    exp_slope,
    overlap_kernel,
    truncated_gram,
    truncated_overlap_kernel,
)


@validate_params(
    {
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "kernel": [StrOptions(set(OVERLAP_KERNELS))],
    },
    prefer_skip_nested_validation=True,
)
def default_gamma(n_features, kernel="rbf"):
    """The ``gamma`` used when ``gamma=None``.

    For the RBF kernel ``exp(-gamma ||x - y||^2)`` on +/-1 vectors, two random
    patterns have similarity ``exp(-2 gamma N)``: the control parameter is
    ``gamma * N``, and the papers find that its best value grows with N. The
    default is ``gamma = max(0.1, 10 / N)``, i.e. ``gamma N = max(0.1 N, 10)``:
    the papers' robust-regime ``gamma = 0.1`` (so ``gamma N`` grows with N),
    with ``gamma N`` held at 10 below N = 100 so that small networks keep a
    local kernel and wide basins at high load. The
    Laplacian kernel ``exp(-gamma ||x - y||_1)`` gets twice that value, which
    makes it the same function of the Hamming distance. Other kernels use
    scikit-learn's default ``1 / N``.

    Parameters
    ----------
    n_features : int
        Number of neurons N.
    kernel : str, default="rbf"
        Kernel name.

    Returns
    -------
    gamma : float
        The kernel coefficient.

    Examples
    --------
    >>> from sklearn_klrhop import default_gamma
    >>> default_gamma(200), default_gamma(50), default_gamma(50, "laplacian")
    (0.1, 0.2, 0.4)
    """
    if kernel in ("rbf", "laplacian"):
        gamma = max(0.1, 10.0 / n_features)
        return gamma if kernel == "rbf" else 2 * gamma
    return 1.0 / n_features


class KLRHopfieldMemory(BaseHopfieldMemory):
    """Hopfield associative memory trained by kernel logistic regression.

    Every neuron i is a kernel machine over the P stored patterns: its local
    field in state s is ``h_i(s) = sum_mu A[mu, i] K(s, xi_mu)`` and its next
    state ``sign(h_i(s))``. The dual coefficients A minimise, for each neuron,
    the logistic loss of predicting bit i of every stored pattern from the whole
    pattern, plus the RKHS penalty ``lam / 2 * a_i^T K a_i`` (Tamamori's KLR
    Hopfield network); ``loss="squared"`` gives the kernel ridge variant with a
    closed-form solution. Far more patterns than neurons can be stored
    (P / N of 30 at N = 100 with the default kernel).

    ``fit(X, y)`` learns a heteroassociative map instead: neuron i learns bit
    i of ``y[mu]`` from ``X[mu]`` with the same objective and solvers
    (``(K + lam I) A = Y`` for the squared loss). With ``y`` the successor
    of each pattern the memory stores a sequence, replayed as a limit cycle
    of the synchronous dynamics (arXiv:2605.00366).

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    gamma : float, default=None
        Kernel coefficient of the rbf, laplacian, poly and sigmoid kernels, on
        the raw +/-1 vectors (not normalised by N). ``None`` uses
        :func:`default_gamma`: ``max(0.1, 10 / N)`` for rbf.
    lam : float, default=0.01
        Regularisation strength lambda of the RKHS penalty (the papers' λ).
        Must be positive for ``loss="logistic"``.
    kernel : {"rbf", "laplacian", "poly", "linear", "sigmoid", "cosine"}, \
            default="rbf"
        Kernel of :mod:`sklearn.metrics.pairwise`; on +/-1 vectors each is a
        function of the overlap ``s . xi``.
    degree : float, default=3
        Degree of the poly kernel.
    coef0 : float, default=1.0
        Constant term of the poly and sigmoid kernels.
    loss : {"logistic", "squared"}, default="logistic"
        ``"logistic"``: kernel logistic regression with targets ``(xi + 1) / 2``
        (KLR). ``"squared"``: kernel ridge regression ``(K + lam I) A = Xi``
        with +/-1 targets (KRR), solved in closed form; ``solver`` is ignored.
    solver : {"auto", "lbfgs", "newton-cg", "newton-diagonal", "gd"}, \
            default="auto"
        Solver of the dual problem (``loss="logistic"``; ``loss="squared"``
        is solved in closed form and takes ``"auto"`` only). ``"auto"`` picks
        what is fastest at equal accuracy for the Gram matrix at hand:
        ``"newton-diagonal"`` when the kernel is local (off-diagonal row sums
        of K at most 0.1 of its diagonal, e.g. the default gamma at
        N >= 50), ``"newton-cg"`` otherwise; ``solver_`` records the choice.
        A solver named explicitly runs as named. ``"newton-diagonal"`` is a
        Newton iteration with the diagonal of the Hessian, one product with
        K per step (local kernels only). ``"newton-cg"`` is a truncated
        Newton method on the dual coefficients, one preconditioned CG solve
        per neuron run in lockstep (see :ref:`performance`). ``"lbfgs"``
        (:func:`scipy.optimize.minimize`) works in the Cholesky coordinates
        of K, where the problem is well-conditioned. ``"gd"`` is the papers'
        full-batch gradient descent on the dual coefficients from zero with
        step ``learning_rate``; it runs until the largest gradient entry is
        below ``tol`` or for ``max_iter`` epochs (300 by default, as in the
        papers), without a warning.
    learning_rate : float, default=0.1
        Step size of ``solver="gd"`` (the papers' η).
    max_iter : int, default=None
        Maximum solver iterations; ``None`` means 500 for lbfgs, 100 for
        newton-cg and newton-diagonal, and 300 for gd.
    tol : float, default=1e-6
        Convergence tolerance. lbfgs: on the largest gradient entry of the
        loss averaged over patterns, in Cholesky coordinates; newton-cg and
        newton-diagonal: on the stationarity residual
        ``max |sigma(K A) - T + lam A|``; gd: on the largest entry of the
        gradient ``K (sigma(K A) - T + lam A)``. With ``dtype=np.float32`` a
        tol finer than float32 products resolve is raised to that limit (10
        float32 ulps for the diagonal Newton iteration, 50 for newton-cg,
        i.e. about 1e-6 and 6e-6).
    update : {"sync", "async"}, default="sync"
        Retrieval dynamics. ``"sync"`` updates all neurons at once;
        ``"async"`` updates one neuron at a time in a random order per sweep
        (event-driven: each flip is an event).
    max_steps : int, default=30
        Maximum synchronous steps or asynchronous sweeps.
    score_noise : float, default=0.2
        Fraction of bits flipped in the cues built by :meth:`score`.
    binarize : float, default=None
        ``None``: patterns must be -1 / +1, 0 / 1 or bool, and predictions use
        the same encoding. A float t: any real data is accepted and mapped to
        +1 where ``x > t`` and -1 elsewhere (as in
        :class:`~sklearn.naive_bayes.BernoulliNB`); predictions are -1 / +1.
    transform_returns : {"trajectory", "states"}, default="trajectory"
        What :meth:`transform` returns: ``"trajectory"``, the cue and the
        state after every step, flattened to (n_cues, (max_steps + 1) *
        n_features); ``"states"``, the retrieved states only, of shape
        (n_cues, n_outputs), so that the memory is a denoising step of a
        :class:`~sklearn.pipeline.Pipeline` before another estimator.
    dtype : {np.float64, np.float32}, default=np.float64
        Precision of the Gram matrix, its factor and the dual coefficients.
        ``np.float32`` halves the memory of fitting (the P x P matrix) and uses
        single-precision products; retrieval still evaluates the kernel in
        the log domain in float64, so nothing underflows.
    kernel_cutoff : float in (0, 1), default=None
        ``None``: the exact dense kernel. A float c (rbf and laplacian only):
        the truncated kernel, where kernel values below c times the largest
        one are dropped, both in the Gram matrix (stored sparse, built by an
        exact neighbour search without any P x P array) and at retrieval (a
        sparse activation). For rbf an entry survives when the Hamming
        distance is at most ``log(1 / c) / (4 gamma)``. With ``c = 1e-16``
        (below float64 resolution relative to the diagonal) the answers match
        the exact kernel; larger c trades accuracy for speed (where they part:
        :ref:`performance`). The fit requires the
        truncated Gram matrix to be diagonally dominant (a local kernel, large
        ``gamma * N``), and raises a ValueError otherwise.
    n_jobs : int, default=None
        Number of jobs retrieving blocks of cues in parallel in
        :meth:`predict`, :meth:`retrieve`, :meth:`transform` and :meth:`score`,
        and searching the neighbours of the truncated kernel in :meth:`fit`
        (joblib threads by default; a dask cluster under
        ``joblib.parallel_config(backend="dask")``). ``None`` means 1 unless
        in a :func:`joblib.parallel_config` context; ``-1`` means all
        processors. Results do not depend on it. See :ref:`scaling`.
    random_state : int, RandomState instance or None, default=None
        Seeds the asynchronous update order and the cue noise of
        :meth:`score`. The order of each cue is drawn from this seed and the
        cue itself, so a cue gets the same result alone or in any batch. Pass
        an int for reproducible output across multiple function calls.

    Attributes
    ----------
    patterns_ : ndarray of shape (n_patterns, n_features)
        Stored patterns as -1 / +1.
    dual_coef_ : ndarray of shape (n_patterns, n_outputs)
        Dual coefficients A; column i holds neuron i's coefficients.
    targets_ : ndarray of shape (n_patterns, n_outputs)
        Target of each stored pattern as -1 / +1 (``patterns_`` itself for
        an autoassociative memory).
    n_outputs_ : int
        Number of target bits, ``n_features_in_`` unless ``y`` had another
        width.
    heteroassociative_ : bool
        Whether the targets differ from the patterns (``fit`` with a ``y``
        other than ``X``).
    target_codec_ : StateCodec
        How the answers of :meth:`predict` are written (the encoding of ``y``,
        or ``codec_`` without it).
    gamma_ : float
        Kernel coefficient actually used.
    encoding_ : {"bipolar", "binary", "bool"}
        Encoding of the fitted patterns, used for predictions.
    solver_ : str
        The solver that ran: one of ``"lbfgs"``, ``"newton-cg"``,
        ``"newton-diagonal"``, ``"gd"``, or for ``loss="squared"`` the
        closed-form ``"cholesky"``, ``"sparse-lu"`` (the truncated kernel) or
        ``"lstsq"`` (a singular system, with a warning).
    n_iter_ : int
        Solver iterations (1 for the closed-form ``loss="squared"``).
    codec_ : StateCodec
        How states are read and written (the encoding of the fitted patterns).
    engine_ : Engine
        The retrieval engine: encoder (the patterns), kernel, decoder
        (``dual_coef_``).
    n_features_in_ : int
        Number of neurons N seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.kernel_ridge.KernelRidge : Kernel ridge regression, the
        ``loss="squared"`` fit.

    Notes
    -----
    Fitting costs one P x P Gram matrix and, per solver step, one P x P by
    P x N product for all neurons together (lbfgs also factorises K once).
    Retrieval evaluates the kernel in the log domain, so fields keep their
    sign at any ``gamma * N``; asynchronous retrieval with the rbf and
    laplacian kernels certifies its decisions from the few kernel values that
    dominate, so a flip costs far less than a row product when ``gamma * N``
    is large (same results).

    References
    ----------
    - A. Tamamori, "Kernel Logistic Regression Learning for High-Capacity
      Hopfield Networks", IEICE Trans. Inf. & Syst., 2026, arXiv:2504.07633.
    - A. Tamamori, "Kernel Ridge Regression for Efficient Learning of
      High-Capacity Hopfield Networks", arXiv:2504.12561.
    - A. Tamamori, "Efficient event-driven retrieval in high-capacity kernel
      Hopfield networks", arXiv:2605.05978.
    - A. Tamamori, "Geometric and dynamical analysis of attractor boundaries
      and storage limits in kernel Hopfield networks", arXiv:2605.00366.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> X = make_patterns(300, 100, random_state=0)  # P / N = 3
    >>> mem = KLRHopfieldMemory(random_state=0).fit(X)
    >>> cues = corrupt(X, 0.2, random_state=0)       # 20 of 100 bits flipped
    >>> bool((mem.predict(cues) == X).all())
    True
    >>> mem.score(X)
    1.0
    """

    _parameter_constraints: dict = {
        **BaseHopfieldMemory._parameter_constraints,
        "gamma": [Interval(Real, 0, None, closed="neither"), None],
        "lam": [Interval(Real, 0, None, closed="left")],
        "kernel": [StrOptions(set(OVERLAP_KERNELS))],
        "degree": [Interval(Real, 0, None, closed="left")],
        "coef0": [Interval(Real, None, None, closed="neither")],
        "loss": [StrOptions({"logistic", "squared"})],
        "solver": [StrOptions(set(SOLVERS))],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "dtype": [Options(type, {np.float64, np.float32})],
        "kernel_cutoff": [Interval(Real, 0, 1, closed="neither"), None],
    }

    def __init__(
        self,
        *,
        gamma=None,
        lam=0.01,
        kernel="rbf",
        degree=3,
        coef0=1.0,
        loss="logistic",
        solver="auto",
        learning_rate=0.1,
        max_iter=None,
        tol=1e-6,
        update="sync",
        max_steps=30,
        score_noise=0.2,
        binarize=None,
        transform_returns="trajectory",
        dtype=np.float64,
        kernel_cutoff=None,
        n_jobs=None,
        random_state=None,
    ):
        self.gamma = gamma
        self.lam = lam
        self.kernel = kernel
        self.degree = degree
        self.coef0 = coef0
        self.loss = loss
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.update = update
        self.max_steps = max_steps
        self.score_noise = score_noise
        self.binarize = binarize
        self.transform_returns = transform_returns
        self.dtype = dtype
        self.kernel_cutoff = kernel_cutoff
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit(self, S, T, K=None, A0=None):
        if self.loss == "logistic" and self.lam == 0:
            raise ValueError(
                "lam=0 is not supported with loss='logistic': stored patterns are "
                "separable, so the unregularised loss has no finite minimum. Use "
                "lam > 0 (default 0.01) or loss='squared'."
            )
        if self.loss == "squared" and self.solver != "auto":
            raise ValueError(
                f"solver={self.solver!r} applies to loss='logistic'; loss='squared' "
                "is solved in closed form. Use solver='auto' with it."
            )
        self.gamma_ = (
            default_gamma(S.shape[1], self.kernel) if self.gamma is None else self.gamma
        )
        # partial_fit and forget pass the Gram matrix and a start A0; a memory
        # grown by partial_fit keeps its dense K (not pickled) so that the
        # next call computes only the new rows and columns
        K = self._gram(S) if K is None else K
        keep = getattr(self, "_online", False) and not sparse.issparse(K)
        if self.loss == "squared":
            A, self.solver_ = solve_krr(K, T, self.lam, overwrite_k=not keep)
            self.n_iter_ = 1
        else:
            A, self.n_iter_, self.solver_ = solve_klr(
                K,
                T > 0,  # targets (y + 1) / 2 in {0, 1}, one byte each
                self.lam,
                solver=self.solver,
                max_iter=self.max_iter,
                tol=self.tol,
                learning_rate=self.learning_rate,
                overwrite_k=not keep,
                A0=A0,
            )
        self._cached_gram = K if keep else None
        if not np.all(np.isfinite(A)):
            raise ValueError(
                "The fitted dual coefficients are not finite: the kernel system is "
                "singular (duplicate patterns or a kernel that is numerically rank "
                "deficient) and lam is too small to regularise it. Use lam > 0, "
                "remove duplicate patterns or drop kernel_cutoff."
            )
        # Every solver path answers in the requested precision.
        self.dual_coef_ = A.astype(self.dtype, copy=False)

    def _partial_fit(self, n_old):
        # K grows by the rows and columns of the new patterns; the dual
        # problem restarts from the previous coefficients, the new ones zero
        S = self.patterns_
        cached = getattr(self, "_cached_gram", None)
        if cached is None or len(cached) != n_old or self.kernel_cutoff is not None:
            K = self._gram(S)
        else:
            check_dense_gram_fits(*S.shape, self.dtype, solver=self.solver)
            new = dense_gram(
                S[n_old:],
                self.kernel,
                gamma=self.gamma_,
                degree=self.degree,
                coef0=self.coef0,
                dtype=self.dtype,
                Y=S,
            )
            K = np.block([[cached, new[:, :n_old].T], [new]])
        self._fit(
            S, self.targets_, K, np.vstack([self.dual_coef_, self._fresh(K, n_old)])
        )

    def _fresh(self, K, n_old):
        """Start of the coefficients of the new patterns (rows n_old on) of K.

        Zero, except for a local kernel (the diagonal Newton solver), where
        they start from their value for an isolated pattern: exact for a
        diagonal K, and within the off-diagonal row sums of the solution
        otherwise, so that the solve takes two or three steps instead of six.
        """
        shape = (K.shape[0] - n_old, self.n_outputs_)
        if self.loss == "squared" or choose_solver(K, self.solver) != "newton-diagonal":
            return np.zeros(shape)
        return isolated_coefficients(
            K.diagonal()[n_old:], self.targets_[n_old:] > 0, self.lam, self.tol
        )

    def _forget(self, keep, removed):
        cached = getattr(self, "_cached_gram", None)
        if cached is None or len(cached) != len(keep):
            K = self._gram(self.patterns_)
        else:
            K = cached[np.ix_(keep, keep)]
        self._fit(self.patterns_, self.targets_, K, self.dual_coef_[keep])

    def _gram(self, S):
        """The Gram matrix of the patterns: truncated (sparse) or dense."""
        if self.kernel_cutoff is not None:
            if self.kernel not in ("rbf", "laplacian"):
                raise ValueError(
                    f"kernel_cutoff is supported for the rbf and laplacian kernels, "
                    f"got kernel={self.kernel!r}. Use kernel_cutoff=None for it."
                )
            return truncated_gram(
                S,
                self.kernel,
                gamma=self.gamma_,
                cutoff=self.kernel_cutoff,
                dtype=self.dtype,
                n_jobs=self.n_jobs,
            )
        check_dense_gram_fits(*S.shape, self.dtype, solver=self.solver)
        return dense_gram(
            S,
            self.kernel,
            gamma=self.gamma_,
            degree=self.degree,
            coef0=self.coef0,
            dtype=self.dtype,
        )

    def _make_engine(self):
        if self.kernel_cutoff is not None:
            activation = partial(
                truncated_overlap_kernel,
                n_features=self.n_features_in_,
                kernel=self.kernel,
                gamma=self.gamma_,
                cutoff=self.kernel_cutoff,
            )
            return Engine(self.patterns_, activation, self.dual_coef_)
        activation = partial(
            overlap_kernel,
            n_features=self.n_features_in_,
            kernel=self.kernel,
            gamma=self.gamma_,
            degree=self.degree,
            coef0=self.coef0,
        )
        locality = exp_slope(self.kernel, self.gamma_)
        return Engine(self.patterns_, activation, self.dual_coef_, locality=locality)
