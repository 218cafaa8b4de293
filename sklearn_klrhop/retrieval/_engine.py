"""The two-layer form shared by every memory: encoder, kernel, decoder."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import sparse


class Engine:
    """Two-layer form shared by every memory: ``H = g(S E^T) A + S * d``.

    Parameters
    ----------
    encoder : ndarray of shape (n_units, n_features)
        E; the overlaps are ``q = S E^T``. For kernel memories, the patterns.
    activation : callable
        ``activation(q) -> (k, log_scale)``: g applied to the overlaps, up to a
        positive factor ``exp(log_scale)`` per row (see ``overlap_kernel``).
    decoder : ndarray of shape (n_units, n_outputs) or None
        A; ``None`` means the identity: the fields are the kernel units
        (then ``n_outputs == n_units``). The fields have ``n_outputs``
        columns: a state's next state when ``n_outputs == n_features``, the
        image of a one-step map (a heteroassociative memory with targets of
        another width) otherwise.
    diagonal : ndarray of shape (n_features,) or None
        Optional self-coupling d added to the fields as ``S * d`` (only with
        ``n_outputs == n_features``).
    locality : float or None
        ``c`` when the activation is exponential in the overlaps,
        ``activation(q)[0] = exp(c (q - N) - log_scale[:, None])``, and the
        encoder entries are +/-1 (the rbf and laplacian kernels on the stored
        patterns); asynchronous retrieval then certifies its decisions from
        the few dominant kernel units (see
        :class:`LocalFields`, whose bounds use both). ``None``: no such form.

    Attributes
    ----------
    decoder_col_max : ndarray of shape (n_outputs,)
        ``max_mu |A[mu, i]|`` per output neuron i (ones without a decoder).
    decoder_scale : float
        The largest entry of ``decoder_col_max``.

    Notes
    -----
    An engine is built once per fit and only read afterwards, so threads may
    share it.
    """

    def __init__(self, encoder, activation, decoder=None, diagonal=None, locality=None):
        self.encoder = encoder
        self.activation = activation
        self.decoder = decoder
        self.diagonal = diagonal
        self.locality = locality
        if decoder is None:
            self.decoder_col_max = np.ones(encoder.shape[0])
        else:
            self.decoder_col_max = np.maximum(
                decoder.max(axis=0, initial=0.0), -decoder.min(axis=0, initial=0.0)
            )
        self.decoder_scale = float(self.decoder_col_max.max(initial=0.0))
        # A +/-1 encoder (the patterns of a kernel memory) gives integer
        # overlaps, exact in a float32 product up to 2**24 neurons, which runs
        # at about 1.5 times the speed of float64.
        bipolar = encoder.shape[1] < 2**24 and np.isin(encoder, (-1.0, 1.0)).all()
        self._encoder32 = encoder.astype(np.float32) if bipolar else None

    @property
    def n_units(self):
        """Number of kernel (or encoder) units."""
        return self.encoder.shape[0]

    @property
    def n_features(self):
        """Number of neurons N."""
        return self.encoder.shape[1]

    @property
    def n_outputs(self):
        """Number of fields: N for dynamics, the target width for a one-step map."""
        return self.encoder.shape[0] if self.decoder is None else self.decoder.shape[1]

    def overlaps(self, S, dtype=np.float64):
        """Compute the overlaps ``q = S E^T`` of the states with the encoder units.

        Parameters
        ----------
        S : ndarray of shape (n_states, n_features)
            States as -1 / +1.
        dtype : {np.float64, np.float32}, default=np.float64
            float32 only for a +/-1 encoder, whose overlaps it holds exactly.

        Returns
        -------
        q : ndarray of shape (n_states, n_units)
            The overlaps.
        """
        if self._encoder32 is None:
            return S @ self.encoder.T
        q = S.astype(np.float32) @ self._encoder32.T
        return q if dtype == np.float32 else q.astype(np.float64)

    def kernel_fields(self, S, q=None):
        """Compute kernel values, fields, ``log_scale`` and the tie bound per row.

        ``H = k A (+ S d)`` is divided by ``exp(log_scale)``; ``bound`` is the
        largest magnitude a field of the row can have, ``sum |k| max |A|``
        (see ``TIE_RTOL``).

        Parameters
        ----------
        S : ndarray of shape (n_states, n_features)
            States as -1 / +1.
        q : ndarray of shape (n_states, n_units), default=None
            Their overlaps ``S E^T`` when already known.

        Returns
        -------
        k : ndarray or sparse matrix of shape (n_states, n_units)
            Kernel values divided by ``exp(log_scale)``.
        H : ndarray of shape (n_states, n_outputs)
            Fields divided by ``exp(log_scale)``.
        log_scale : ndarray of shape (n_states,)
            The log of the factor taken out of each row.
        bound : ndarray of shape (n_states,)
            The largest magnitude a field of the row can reach (same scale).
        """
        if q is None:
            q = self.overlaps(S)
        k, log_scale = self.activation(q)
        H = k if self.decoder is None else k @ self.decoder
        # exponential activations are positive: no |k| to form
        k_abs_sum = _row_abs_sum(k) if self.locality is None else k.sum(axis=1)
        bound = k_abs_sum * self.decoder_scale
        if self.diagonal is not None:
            extra = (S * self.diagonal) * np.exp(-log_scale)[:, None]
            H = H + extra
            bound = bound + np.abs(extra).max(axis=1, initial=0.0)
        return k, H, log_scale, bound

    def fields(self, S, q=None):
        """Compute the local fields divided by a positive factor per row.

        Parameters
        ----------
        S : ndarray of shape (n_states, n_features)
            States as -1 / +1.
        q : ndarray of shape (n_states, n_units), default=None
            Their overlaps ``S E^T`` when already known.

        Returns
        -------
        H : ndarray of shape (n_states, n_outputs)
            The fields divided by ``exp(log_scale)``; their signs are exact.
        log_scale : ndarray of shape (n_states,)
            The log of the factor taken out of each row.
        """
        _, H, log_scale, _ = self.kernel_fields(S, q)
        return H, log_scale

    def decision_fields(self, S, q=None):
        """Compute fields whose sign is the next state, ties included.

        A field within ``TIE_RTOL`` of the largest magnitude its row can reach
        is moved to the +1 side.

        Parameters
        ----------
        S : ndarray of shape (n_states, n_features)
            States as -1 / +1.
        q : ndarray of shape (n_states, n_units), default=None
            Their overlaps ``S E^T`` when already known.

        Returns
        -------
        H : ndarray of shape (n_states, n_outputs)
            Fields (up to a positive factor per row) with the tie margin added.
        """
        _, H, _, bound = self.kernel_fields(S, q)
        return H + (TIE_RTOL * bound)[:, None]

    def true_fields(self, S, *, return_underflow=False):
        """Compute the local fields ``h(s)`` themselves.

        Parameters
        ----------
        S : ndarray of shape (n_states, n_features)
            States as -1 / +1.
        return_underflow : bool, default=False
            Also return which rows underflow.

        Returns
        -------
        H : ndarray of shape (n_states, n_outputs)
            The local fields.
        underflow : ndarray of shape (n_states,) of bool
            Only with ``return_underflow``: the row's true fields are below
            the smallest float64 and read as 0 (their signs, which the
            dynamics use, stay exact in :meth:`fields`).
        """
        H, log_scale = self.fields(S)
        H = H * np.exp(log_scale)[:, None]
        if return_underflow:
            return H, log_scale < np.log(np.finfo(float).tiny)
        return H

    def energy(self, S):
        """Compute the pseudo-energy ``V(s) = -sum_i s_i h_i(s)`` of each row.

        Parameters
        ----------
        S : ndarray of shape (n_states, n_features)
            States as -1 / +1.

        Returns
        -------
        energy : ndarray of shape (n_states,)
            The pseudo-energies.
        """
        if self.n_outputs != self.n_features:
            raise ValueError(
                "The pseudo-energy pairs the state of each neuron with its field; "
                f"this engine maps {self.n_features} neurons to {self.n_outputs} "
                "outputs of another width, so it has none."
            )
        return -np.einsum("ij,ij->i", S, self.true_fields(S))


# A field within this fraction of its largest possible magnitude (sum_mu |k_mu|
# times max |A|) is a tie and goes to +1. Rounding differs between a one-row and
# a many-row matrix product (different BLAS kernels and summation orders), so
# without this margin the sign of an exact tie, e.g. a state orthogonal to a
# pattern stored with both signs, would depend on the batch the cue came in.
TIE_RTOL = 1e-10


def _row_abs_sum(k):
    if sparse.issparse(k):
        return np.asarray(abs(k).sum(axis=1)).ravel()
    return np.abs(k).sum(axis=1)


def _dense(k):
    return k.toarray() if sparse.issparse(k) else k


def _sign(H):
    # sign(0) = +1, the documented tie rule.
    return np.where(H >= 0, 1.0, -1.0)
