"""
==========
Quickstart
==========

Store random patterns far beyond the classical Hopfield capacity, retrieve them
from noisy cues synchronously and asynchronously, and look at one retrieval.
"""

# %%
# Store 30 patterns per neuron
# ----------------------------
# A classical Hebbian Hopfield network holds about 0.14 N patterns. A kernel
# logistic regression memory with the default kernel width stores P / N = 30.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.metrics import hamming, recall_score

n_features, load = 100, 30
X = make_patterns(load * n_features, n_features, random_state=0)
memory = KLRHopfieldMemory(random_state=0).fit(X)
print(
    f"stored P = {len(X)} patterns in N = {n_features} neurons, gamma = {memory.gamma_}"
)

# %%
# Retrieve from 20 % noise
# ------------------------
# Flip 20 of the 100 bits of 300 stored patterns and let the network clean them.
targets = X[:300]
cues = corrupt(targets, 0.2, random_state=1)
for update in ("sync", "async"):
    res = memory.retrieve(cues, update=update)
    print(
        f"{update:>5}: recall {recall_score(targets, res.states):.3f}, "
        f"{res.n_steps.mean():.2f} steps, {res.n_events.mean():.1f} events per cue "
        f"(initial Hamming distance {hamming(targets, cues).mean():.1f})"
    )

# %%
# One cue, step by step
# ---------------------
# ``transform`` returns the trajectory; reshape it to (steps + 1, N) per cue.
traj = memory.transform(cues[:1]).reshape(memory.max_steps + 1, n_features)
fig, axes = plt.subplots(1, 3, figsize=(8, 2.6))
for ax, image, title in zip(
    axes,
    [cues[0], traj[1], targets[0]],
    ["cue (20 % flipped)", "after 1 step", "stored"],
):
    ax.imshow(image.reshape(10, 10), cmap="gray", vmin=-1, vmax=1)
    ax.set_title(title)
    ax.set_axis_off()
fig.tight_layout()
print("recalled exactly after one step:", bool(np.all(traj[1] == targets[0])))
