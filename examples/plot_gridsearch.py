"""
=========================================
Choosing gamma and lam with GridSearchCV
=========================================

A memory is scored on what it stored: :class:`~sklearn_klrhop.model_selection.StoredPatternSplit`
stores every pattern in each split and scores recall of a random subset of
them from cues with ``score_noise`` (20 %) of their bits flipped. With it,
:class:`~sklearn.model_selection.GridSearchCV` tunes a
:class:`~sklearn_klrhop.KLRHopfieldMemory` like any other estimator.

The kernel ``exp(-gamma ||x - y||^2)`` of two random +/-1 patterns is
``exp(-2 gamma N)``, so the grid is written in terms of ``gamma N``.
"""

# %%
# Grid search over gamma N and lam at N = 50, P / N = 5
# -----------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Binarizer

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.model_selection import StoredPatternSplit

N = 50
X = make_patterns(5 * N, N, random_state=0)
gamma_n = np.array([0.2, 1, 2, 3, 5, 10])
lams = [0.001, 0.01, 0.1, 1.0]
search = GridSearchCV(
    KLRHopfieldMemory(random_state=0),
    {"gamma": gamma_n / N, "lam": lams},
    cv=StoredPatternSplit(n_splits=2, test_size=50, random_state=0),
).fit(X)
scores = search.cv_results_["mean_test_score"].reshape(len(gamma_n), len(lams))
print("best:", {k: float(round(v, 4)) for k, v in search.best_params_.items()},
      "score", round(search.best_score_, 3))  # fmt: skip
print("gamma N | " + "  ".join(f"lam={lam:<5g}" for lam in lams))
for g, row in zip(gamma_n, scores):
    print(f"{g:7g} | " + "  ".join(f"{s:9.2f}" for s in row))

fig, ax = plt.subplots()
im = ax.imshow(scores, vmin=0, vmax=1, cmap="viridis", aspect="auto")
ax.set_xticks(range(len(lams)), [f"{lam:g}" for lam in lams])
ax.set_yticks(range(len(gamma_n)), [f"{g:g}" for g in gamma_n])
ax.set_xlabel("lam")
ax.set_ylabel("gamma N")
ax.set_title("Recall at 20 % noise, N = 50, P / N = 5")
fig.colorbar(im, label="mean test score")

# %%
# The gamma N scale across network sizes
# --------------------------------------
# The same search at P / N = 3 for several N (two lambdas). Recall switches on
# at a similar gamma N for every N, and the switch gets sharper as N grows;
# lam hardly matters.
gamma_n = np.array([1.5, 2, 2.5, 3, 5, 10])
fig, ax = plt.subplots()
for N in (25, 50, 100):
    X = make_patterns(3 * N, N, random_state=0)
    search = GridSearchCV(
        KLRHopfieldMemory(random_state=0),
        {"gamma": gamma_n / N, "lam": [0.01, 1.0]},
        cv=StoredPatternSplit(n_splits=1, test_size=50, random_state=0),
    ).fit(X)
    s = search.cv_results_["mean_test_score"].reshape(len(gamma_n), 2)
    print(f"N = {N:3d}: lam=0.01 {np.round(s[:, 0], 2).tolist()}")
    print(f"         lam=1    {np.round(s[:, 1], 2).tolist()}")
    ax.plot(gamma_n, s[:, 0], "o-", label=f"N = {N}, lam = 0.01")
    ax.plot(gamma_n, s[:, 1], "x--", color=ax.lines[-1].get_color(), label="lam = 1")
ax.set_xscale("log")
ax.set_xlabel("gamma N")
ax.set_ylabel("recall at 20 % noise")
ax.set_title("P / N = 3")
ax.legend(fontsize="small")

# %%
# A pipeline on real-valued data
# ------------------------------
# A binarising step turns real data into 0 / 1 states; the memory then stores
# and recalls them, and its parameters are tuned as ``hopfield__gamma``. (The
# step cannot be named ``memory``: that is Pipeline's caching parameter.)
rng = np.random.RandomState(0)
bits = make_patterns(100, 50, random_state=1) > 0
X_real = bits + 0.1 * rng.randn(*bits.shape)
pipe = Pipeline([("binarize", Binarizer(threshold=0.5)),
                 ("hopfield", KLRHopfieldMemory(random_state=0))])  # fmt: skip
search = GridSearchCV(
    pipe,
    {"hopfield__gamma": [0.2 / 50, 5 / 50], "hopfield__lam": [0.01, 0.1]},
    cv=StoredPatternSplit(n_splits=2, random_state=0),
).fit(X_real)
print("pipeline best:", search.best_params_, round(search.best_score_, 3))
cues = corrupt(np.where(bits, 1.0, -1.0), 0.2, random_state=2) > 0
recalled = search.predict(cues + 0.1 * rng.randn(*cues.shape))
print("noisy real cues recalled exactly:", float(np.mean(np.all(recalled == bits, 1))))
plt.show()
