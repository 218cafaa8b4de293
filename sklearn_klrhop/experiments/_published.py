"""What the papers report, quoted with their source, beside each measurement."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

# What the papers report, with where it comes from (arXiv identifiers).
PUBLISHED = {
    "trajectories": "both schemes reach overlap > 0.95 within 1-3 steps, curves "
    "indistinguishable (arXiv:2605.05978)",
    "capacity": {
        50: "fine to P/N ~ 20, degrading beyond",
        100: "1.0 at P/N = 30",
        200: "1.0 at P/N = 30",
    },
    "events": {0.2: "~10 events, ~95 % recall", 0.4: "~15 events, < 10 % recall"},
    "cost": "synchronous ~150 field evaluations vs ~10 events (~15x), arXiv:2605.05978",
    "comparison": {
        "Hebbian": "collapses near P/N ~ 0.14",
        "Linear LR": "fails near P/N ~ 0.9",
        "KLR": "100 % up to P/N = 1.5 (arXiv:2504.07633)",
        "KRR": "like KLR, much faster to train (arXiv:2504.12561)",
    },
    "sequences": "sequence recall collapses sharply near P/N ~ 16 "
    "(arXiv:2605.00366; N, gamma, noise and sequence type not stated)",
    "phase": "success ~0 in the low-gamma / high-load corner and ~1 at larger "
    "gamma, the boundary moving to larger gamma as the load grows; the Ridge at "
    "gamma ~ 0.02 (arXiv:2609.16827, Fig. 1: N = 50, 30 x 30 grid, "
    "P/N 0.1-6, gamma 1e-4-10)",
}
