"""
==========================
Completing digit patterns
==========================

Structured data are correlated, unlike the random patterns of the capacity
theory. Store binarised 8 x 8 digits from scikit-learn's bundled data set, hide
part of each image and let the memory complete it.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, load_digit_patterns
from sklearn_klrhop.metrics import overlap, recall_score

digits = load_digit_patterns()
X = digits.data[:300]  # P = 300 patterns of N = 64 pixels: P / N = 4.7
memory = KLRHopfieldMemory(random_state=0).fit(X)
print(f"stored {len(X)} digits, gamma = {memory.gamma_:.3f}")

# %%
# Random pixel noise
# ------------------
for noise in (0.05, 0.1, 0.2):
    cues = corrupt(X, noise, random_state=0)
    print(
        f"{noise:.0%} of pixels flipped: recall {recall_score(X, memory.predict(cues)):.3f}"
    )

# %%
# Occlusion: the bottom three rows replaced by background
# -------------------------------------------------------
cues = X.copy().reshape(-1, 8, 8)
cues[:, 5:, :] = -1
cues = cues.reshape(len(X), -1)
completed = memory.predict(cues)
print(
    f"occluded: recall {recall_score(X, completed):.3f}, "
    f"mean overlap {overlap(X, completed).mean():.3f} (cue {overlap(X, cues).mean():.3f})"
)

fig, axes = plt.subplots(3, 6, figsize=(7, 3.8))
for col, i in enumerate(np.arange(6) * 7):
    for row, (image, name) in enumerate(
        [(cues[i], "cue"), (completed[i], "recalled"), (X[i], "stored")]
    ):
        axes[row, col].imshow(image.reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        axes[row, col].set_axis_off()
        if col == 0:
            axes[row, col].set_title(name, fontsize=9, loc="left")
fig.tight_layout()
