"""
==========================================
Counting events: what retrieval would cost
==========================================

The papers' cost example (N = 50 neurons, P = 150 patterns, gamma = 0.1, 20 %
noise) says synchronous retrieval needs about 150 field evaluations where
event-driven retrieval needs about 10. The engine counts the work itself, under
three execution models, and :class:`~sklearn_klrhop.neuromorphic.NeuromorphicCostModel`
prices it with published energy figures. This example shows the comparison and
what lies beside it.
"""

# %%
# The papers' setting
# -------------------
import matplotlib.pyplot as plt
import numpy as np

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.neuromorphic import EventCountDisplay, NeuromorphicCostModel

X = make_patterns(150, 50, random_state=0)
memory = KLRHopfieldMemory(gamma=0.1, lam=0.01, random_state=0).fit(X)
cues = corrupt(X, 0.2, random_state=1)
report = NeuromorphicCostModel().estimate(memory, cues, X)
print(report.summary())

# %%
# Synchronous steps evaluate all 50 fields, including the last step that
# confirms the fixed point; an event-driven neuron decides only when its field
# crosses zero, once per event. That is the order of magnitude the papers
# report. Beside it: every flip updates all 150 kernel units, and keeping all
# fields current costs 50 x 150 MACs per flip when every change is propagated,
# more than the dense synchronous run.
for model in ("sync", "event_driven"):
    print(
        f"{model:>12}: {report.mean(model, 'field_evaluations'):6.1f} field "
        f"evaluations, {report.mean(model, 'kernel_updates'):6.0f} kernel updates, "
        f"{report.mean(model, 'macs'):7.0f} MACs per retrieval"
    )

# %%
# A sigma-delta threshold
# -----------------------
# A kernel unit sends its change only when it exceeds ``delta_threshold`` times
# the largest kernel value. The fields the neurons hold then differ from the
# exact ones, so recall is measured, not assumed.
rows = []
for eps in (None, 0.01, 0.1, 0.3, 1.0):
    r = NeuromorphicCostModel(delta_threshold=eps).estimate(memory, cues, X)
    rows.append((eps, r.mean("event_driven", "macs"), r.recall["event_driven"]))
    print(
        f"delta_threshold={eps!s:>5}: {rows[-1][1]:8.0f} MACs per retrieval, "
        f"recall {rows[-1][2]:.3f}"
    )

# %%
# Precision
# ---------
# Quantising ``dual_coef_`` to 8 bits per neuron column changes the word size
# read and the Horowitz MAC price; recall is measured with the quantised
# coefficients.
int8 = NeuromorphicCostModel(precision="int8").estimate(memory, cues, X)
for name, r in (("float32", report), ("int8", int8)):
    low, high = r.energy["sync"]
    print(
        f"{name:>7}: recall {r.recall['sync']:.3f}, synchronous energy per "
        f"retrieval {low / len(cues):.3g} to {high / len(cues):.3g} J"
    )

# %%
# Events against the initial distance
# -----------------------------------
# Cues at several noise levels: the asynchronous and event-driven runs flip
# about one bit per wrong bit while recall holds (the diagonal).
noisy = np.vstack([corrupt(X[:50], rho, random_state=2) for rho in (0.1, 0.2, 0.3)])
targets = np.vstack([X[:50]] * 3)
sweep = NeuromorphicCostModel().estimate(memory, noisy, targets)
EventCountDisplay.from_report(sweep, models=["sync", "event_driven"])
plt.show()
