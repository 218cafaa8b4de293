"""
==================
Attractor geometry
==================

Where do the basins of two stored patterns meet, what limits how many patterns
a kernel memory holds, and why is the papers' gradient descent unstable on
the Ridge? This example walks through the inspection tools of
:mod:`sklearn_klrhop.inspection` on random patterns at N = 50, after
Tamamori's geometric analysis (arXiv:2605.00366) and edge-of-stability
analysis (arXiv:2609.16827).
"""

# %%
# Morphing from one stored pattern to another
# -------------------------------------------
# A state on the path from a to b is a with a fraction of the bits in which b
# differs set to b's values. At gamma = 0.1 every state goes to the nearer of
# the two, and the boundary is sharp; convergence takes longest at the
# boundary (critical slowing down). On the Ridge, gamma = 0.02 (gamma N = 1),
# the same picture holds at a low load, with a much wider slowing down.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.inspection import (
    FieldSNRDisplay,
    LossSpectrumDisplay,
    MorphingDisplay,
    field_snr,
    kernel_participation_ratio,
    retrieval_outcomes,
)

fig, axes = plt.subplots(3, 2, sharex=True, figsize=(10, 6.5))
for col, (gamma, n_patterns) in enumerate([(0.1, 100), (0.02, 25)]):
    X = make_patterns(n_patterns, 50, random_state=0)
    memory = KLRHopfieldMemory(gamma=gamma).fit(X)
    disp = MorphingDisplay.from_estimator(
        memory, X[0], X[1], n_points=26, n_repeats=20, random_state=0, ax=axes[:, col]
    )
    disp.ax_[0].set_title(f"gamma = {gamma}, P / N = {n_patterns / 50:g}")
    print(
        f"gamma = {gamma}: boundary {disp.curve.boundary:.2f}, width "
        f"{disp.curve.width:.2f}, slowest at {np.nanmax(disp.curve.mean_steps):.1f} "
        "steps"
    )
fig.tight_layout()

# %%
# Signal against crosstalk
# ------------------------
# The target-aligned field :math:`\xi_i h_i(s)` of a cue is positive where one
# step sets the bit right. For the Hebbian rule its signal-to-noise ratio is
# the textbook :math:`\sqrt{N / P}`; a kernel memory keeps a high SNR far
# beyond P = N; its recall from 20 % noise starts failing where the SNR has
# fallen to about 1.5 (P / N between 15 and 20 at N = 50 in the reproduce
# report). The aligned fields of the kernel memory are far from Gaussian.
X = make_patterns(40, 400, random_state=0)
hebb = field_snr(HebbianHopfieldMemory().fit(X), X)
print(f"Hebbian, N = 400, P = 40: SNR {hebb.snr:.2f} (sqrt(N/P) = {np.sqrt(10):.2f})")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
FieldSNRDisplay.from_result(hebb, ax=axes[0])
X = make_patterns(1000, 50, random_state=0)  # P / N = 20
memory = KLRHopfieldMemory(gamma=0.1).fit(X)
FieldSNRDisplay.from_estimator(memory, X, noise=0.2, random_state=0, ax=axes[1])
fig.tight_layout()

# %%
# The SNR says that single steps go wrong; :func:`retrieval_outcomes` says where
# the failed cues end. At this load (the capacity limit at N = 50) they end in
# spurious fixed points, not in other stored patterns. Cover's bound on the
# separability of the patterns in the kernel's feature space is far away: the
# limit is dynamical.
outcomes = retrieval_outcomes(memory, corrupt(X[:200], 0.3, random_state=0), X[:200])
print({k: round(v, 2) for k, v in outcomes.fractions.items()})
ratio = kernel_participation_ratio(memory)
print(f"Cover load {ratio.cover_load:.1f} against a stored load of {ratio.load:g}")

# %%
# The edge of stability on the Ridge
# ----------------------------------
# The papers train with full-batch gradient descent from zero. On the Ridge
# the Hessian of every neuron's loss starts with a largest eigenvalue above
# 50, beyond the stability limit 2 / eta of each learning rate; the descent
# oscillates at the limit until the curvature falls below it.
X = make_patterns(100, 50, random_state=0)
fig, ax = plt.subplots(figsize=(7, 4))
for eta in (0.05, 0.1, 0.2):
    memory = KLRHopfieldMemory(gamma=0.02, solver="gd", learning_rate=eta, tol=0)
    disp = LossSpectrumDisplay.from_estimator(memory.fit(X), ax=ax)
    print(f"eta = {eta}: stable from epoch {disp.spectrum.stable_from()}")
ax.set_xlim(0, 120)
plt.show()
