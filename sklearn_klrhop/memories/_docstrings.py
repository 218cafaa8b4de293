"""Descriptions of the parameters and attributes every memory shares."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

_COMMON_PARAMS = """update : {"sync", "async"}, default="sync"
        Retrieval dynamics: all neurons at once, or one neuron at a time in a
        random order per sweep (each flip is an event).
    max_steps : int, default=30
        Maximum synchronous steps or asynchronous sweeps.
    score_noise : float, default=0.2
        Fraction of bits flipped in the cues built by :meth:`score`.
    binarize : float, default=None
        ``None``: patterns must be -1 / +1, 0 / 1 or bool, and predictions use
        the same encoding. A float t maps real data to +1 where ``x > t`` and
        -1 elsewhere; predictions are then -1 / +1.
    transform_returns : {"trajectory", "states"}, default="trajectory"
        What :meth:`transform` returns: ``"trajectory"``, the cue and the
        state after every step, flattened to (n_cues, (max_steps + 1) *
        n_features); ``"states"``, the retrieved states only, of shape
        (n_cues, n_outputs), so that the memory is a denoising step of a
        :class:`~sklearn.pipeline.Pipeline` before another estimator.
    n_jobs : int, default=None
        Number of jobs retrieving blocks of cues in parallel in
        :meth:`predict`, :meth:`retrieve`, :meth:`transform` and :meth:`score`
        (joblib threads by default; a dask cluster under
        ``joblib.parallel_config(backend="dask")``). ``None`` means 1 unless
        in a :func:`joblib.parallel_config` context; ``-1`` means all
        processors. Results do not depend on it. See :ref:`scaling`.
    random_state : int, RandomState instance or None, default=None
        Seeds the asynchronous update order and the cue noise of
        :meth:`score`. Pass an int for reproducible output across multiple
        function calls."""

_COMMON_ATTRS = """patterns_ : ndarray of shape (n_patterns, n_features)
        Stored patterns as -1 / +1.
    encoding_ : {"bipolar", "binary", "bool"}
        Encoding of the fitted patterns, used for predictions.
    codec_ : StateCodec
        How states are read and written (the encoding of the fitted patterns).
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
    engine_ : Engine
        The retrieval engine of the fitted memory.
    n_features_in_ : int
        Number of neurons N seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X`
        has feature names that are all strings."""


def fill_doc(cls):
    cls.__doc__ = cls.__doc__.replace("%(common_params)s", _COMMON_PARAMS).replace(
        "%(common_attrs)s", _COMMON_ATTRS
    )
    return cls
