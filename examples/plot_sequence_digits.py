"""
=======================================================
Replaying a sequence of digits from a noisy first frame
=======================================================

A heteroassociative memory maps each stored pattern to another one. Map every
image of a sequence to the next, and the synchronous dynamics replay the
sequence as a limit cycle. Here the sequence is ten binarised 8 x 8 digits,
0 to 9 and back to 0, and the replay starts from a first frame with 15 % of
its pixels flipped.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, load_digit_patterns, sequence_targets
from sklearn_klrhop.model_selection import make_sequence_scorer

digits = load_digit_patterns()
first = [int(np.flatnonzero(digits.target == d)[0]) for d in range(10)]
frames = digits.data[first]  # 10 frames of N = 64 pixels, in the order 0 ... 9

# %%
# Store the cycle 0 -> 1 -> ... -> 9 -> 0
# ---------------------------------------
# ``sequence_targets`` pairs every frame with its successor; ``fit(X, y)``
# learns the map. ``predict`` applies it once: it answers the next frame.
X, y = sequence_targets(frames)
memory = KLRHopfieldMemory(random_state=0).fit(X, y)
print("predict answers the next frame:", bool((memory.predict(X) == y).all()))

# %%
# Replay from a noisy first frame
# -------------------------------
# ``replay`` iterates the synchronous map for a given number of steps. The
# Hebbian sequence rule ``W = sum_mu xi^(mu+1) xi^(mu T) / N`` stores the same
# sequence on the same engine for comparison; correlated images such as
# digits are hard for it.
cue = corrupt(frames[:1], 0.15, random_state=0)
n_steps = 12
replays = {
    "KLR": memory.replay(cue, n_steps=n_steps)[0],
    "Hebbian": HebbianHopfieldMemory().fit(X, y).replay(cue, n_steps=n_steps)[0],
}
stored = frames[np.arange(n_steps + 1) % 10]
stored[0] = cue[0]
for name, states in replays.items():
    exact = (states[1:] == stored[1:]).all(axis=1)
    print(f"{name}: steps replayed exactly {int(exact.sum())} of {n_steps}")

fig, axes = plt.subplots(3, n_steps + 1, figsize=(11, 3))
for row, (name, states) in enumerate([("stored", stored), *replays.items()]):
    for step, image in enumerate(states):
        ax = axes[row, step]
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        if row == 0:
            ax.set_title("cue" if step == 0 else f"{step}", fontsize=8)
    axes[row, 0].set_ylabel(name, fontsize=8)
fig.tight_layout()

# %%
# A limit cycle of period 10
# --------------------------
# ``retrieve`` runs the synchronous dynamics for ``max_steps`` steps and reports
# the cycle each cue fell into: its ``period`` and the step at which it was
# entered (``cycle_start``).
cues = corrupt(frames, 0.15, random_state=1)
result = memory.set_params(max_steps=30).retrieve(cues)
print("periods:", result.period.tolist())
print("entered at step:", result.cycle_start.tolist())

# %%
# Scores
# ------
# Transition recall asks one step from a noisy frame to reach the next frame
# exactly; sequence recall asks ten consecutive exact steps, here after a
# clean-up of two steps. Both are scorers for model selection.
for name, scorer in {
    "transition": make_sequence_scorer(noise=0.15, random_state=0),
    "sequence (10 steps after 2)": make_sequence_scorer(
        n_steps=10, transient=2, noise=0.15, random_state=0
    ),
}.items():
    print(f"{name} recall: {scorer(memory, X, y):.2f}")
