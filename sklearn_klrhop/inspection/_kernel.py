"""The Gram matrix of a fitted kernel memory, read from its engine."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import sparse
from sklearn.utils import gen_batches
from sklearn.utils.validation import check_is_fitted


def check_kernel_memory(memory, caller):
    """Refuse anything but a fitted kernel memory (a kernel and dual coefficients)."""
    if not hasattr(memory, "kernel"):
        raise TypeError(
            f"{caller} needs a kernel memory (one with a kernel and dual "
            "coefficients, such as KLRHopfieldMemory); got "
            f"{type(memory).__name__}."
        )
    check_is_fitted(memory)


def gram_blocks(memory, batch_size=None):
    """Yield ``(rows, K[rows])`` of the Gram matrix of the stored patterns.

    The blocks are computed by the memory's own engine (its kernel applied to
    the overlaps of the stored patterns), so they are the kernel the memory
    retrieves with; a truncated kernel gives sparse blocks.
    """
    engine, patterns = memory.engine_, memory.patterns_
    n_patterns = len(patterns)
    if batch_size is None:  # about 8 MiB of kernel values per block
        batch_size = max(1, 2**20 // max(n_patterns, 1))
    for rows in gen_batches(n_patterns, batch_size):
        k, log_scale = engine.activation(engine.overlaps(patterns[rows]))
        scale = np.exp(log_scale)
        if sparse.issparse(k):
            yield rows, sparse.diags(scale) @ k
        else:
            yield rows, k * scale[:, None]


def dense_gram(memory):
    """The Gram matrix of the stored patterns as one dense float64 array."""
    n_patterns = len(memory.patterns_)
    K = np.empty((n_patterns, n_patterns))
    for rows, block in gram_blocks(memory):
        K[rows] = block.toarray() if sparse.issparse(block) else block
    return K
