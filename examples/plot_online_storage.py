"""
==========================================
A memory that grows in batches
==========================================

Patterns often arrive over time. ``partial_fit`` adds a batch to a fitted
memory and keeps everything it stored before: afterwards the memory answers
as one ``fit`` on all the patterns would. A second ``fit``, by contrast,
starts again and stores only the patterns it is given, as every
scikit-learn estimator does.

Here N = 100 neurons store five batches of 60 random patterns (P / N = 3 in
the end). After every batch we recall the first batch, the earliest
patterns, from cues with 30 % of their bits flipped, with

* the memory grown by ``partial_fit``,
* a memory fitted once on every pattern received so far,
* a memory refitted with ``fit`` on the newest batch only.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.metrics import recall_score

n_batches, batch = 5, 60
X = make_patterns(n_batches * batch, 100, random_state=0)
batches = np.split(X, n_batches)
early, early_cues = batches[0], corrupt(batches[0], 0.3, random_state=1)

grown = KLRHopfieldMemory()
print("recall of the first batch after each batch, and solver iterations")
print("batch    P  partial_fit  one fit  fit on newest  iterations partial_fit / fit")
recall = {"partial_fit": [], "one fit on all so far": [], "fit on the newest batch": []}
for k, new in enumerate(batches, start=1):
    grown.partial_fit(new)
    one_shot = KLRHopfieldMemory().fit(X[: k * batch])
    refit = KLRHopfieldMemory().fit(new)
    for name, memory in zip(recall, (grown, one_shot, refit)):
        recall[name].append(recall_score(early, memory.predict(early_cues)))
    r = [values[-1] for values in recall.values()]
    print(
        f"{k:5d} {len(grown.patterns_):4d} {r[0]:12.3f} {r[1]:8.3f} {r[2]:14.3f}"
        f"  {grown.n_iter_:d} / {one_shot.n_iter_:d}"
    )

# %%
# The grown memory and the one-shot fit are the same memory
# ---------------------------------------------------------
# ``partial_fit`` solves the dual problem from the previous coefficients; it
# stops within the solver's tolerance of the one-shot solution. Their fields
# differ by a tiny fraction of the largest field, and they give the same
# answer to every cue.
cues = corrupt(X, 0.3, random_state=2)
fields_grown = grown.decision_function(X)
fields_once = one_shot.decision_function(X)
difference = np.abs(fields_grown - fields_once).max() / np.abs(fields_once).max()
same = np.mean(np.all(grown.predict(cues) == one_shot.predict(cues), axis=1))
print(f"largest difference of the fields: {difference:.1e} of the largest field")
print(f"same answer to {same:.0%} of {len(cues)} noisy cues")
print(
    f"recall of all {len(X)} patterns: partial_fit "
    f"{recall_score(X, grown.predict(cues)):.3f}, one fit "
    f"{recall_score(X, one_shot.predict(cues)):.3f}"
)

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
steps = np.arange(1, n_batches + 1)
styles = {
    "partial_fit": {"marker": "o", "linewidth": 3, "alpha": 0.5},
    "one fit on all so far": {"marker": "x", "linestyle": "--", "color": "k"},
    "fit on the newest batch": {"marker": "s", "color": "tab:red"},
}
for name, values in recall.items():
    ax.plot(steps, values, label=name, **styles[name])
ax.set_xticks(steps)
ax.set_xlabel("Batches of 60 patterns received")
ax.set_ylabel("Recall of the first batch")
ax.set_ylim(-0.02, 1.02)
ax.legend(loc="center left")
fig.tight_layout()
