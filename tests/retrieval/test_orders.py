"""The asynchronous update orders: SplitMix64 hashes of the seed and the cue.

The orders decide which states asynchronous retrieval reaches, so a change
to them changes results obtained with a fixed ``random_state``. They are
pinned here against SplitMix64's published outputs and a plain-integer
re-derivation of the construction documented in ``row_seeds``.
"""

import numpy as np

from sklearn_klrhop.retrieval._dynamics import _permutations, _splitmix64, row_seeds

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def splitmix64(x):
    # Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
    # OOPSLA 2014; the finaliser of Vigna's reference splitmix64.c
    z = (x + GOLDEN) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def test_splitmix64_gives_the_published_sequence():
    # splitmix64.c seeded with 0 returns these first three numbers; its
    # state after k calls is k * GOLDEN, so output k is _splitmix64(k * GOLDEN)
    published = [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]
    states = np.array([(k * GOLDEN) & MASK for k in range(3)], dtype=np.uint64)
    assert [int(v) for v in _splitmix64(states)] == published
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2**64 - 1, size=200, dtype=np.uint64, endpoint=True)
    assert [int(v) for v in _splitmix64(x)] == [splitmix64(int(v)) for v in x]


def _reference_seed(row, seed):
    # one 64-bit seed from the cue's content: the sum (mod 2**64) of the
    # hashes of the positions holding +1, mixed with the hash of the seed
    content = sum(splitmix64(j) for j, v in enumerate(row) if v > 0) & MASK
    return splitmix64(content ^ splitmix64(seed))


def _reference_order(row_seed, sweep, n):
    key = row_seed ^ splitmix64(sweep)
    keys = [splitmix64((key + j) & MASK) for j in range(n)]
    return sorted(range(n), key=lambda j: keys[j])


def test_row_seeds_and_orders_follow_the_documented_construction():
    rng = np.random.RandomState(0)
    S = np.where(rng.rand(6, 23) < 0.5, -1.0, 1.0)
    for seed in (0, 12345, 2**31 - 2):
        seeds = row_seeds(S, seed)
        assert [int(s) for s in seeds] == [_reference_seed(r, seed) for r in S]
        for sweep in (0, 1, 7):
            orders = _permutations(seeds, sweep, S.shape[1])
            for m in range(len(S)):
                expected = _reference_order(int(seeds[m]), sweep, S.shape[1])
                assert orders[m].tolist() == expected


def test_orders_depend_on_the_cue_not_its_position():
    rng = np.random.RandomState(1)
    S = np.where(rng.rand(5, 16) < 0.5, -1.0, 1.0)
    seeds = row_seeds(S, 3)
    np.testing.assert_array_equal(row_seeds(S[::-1], 3), seeds[::-1])
    assert len(set(seeds.tolist())) == len(S)
    orders = _permutations(seeds, 0, 16)
    assert (np.sort(orders, axis=1) == np.arange(16)).all()
    assert not np.array_equal(orders, _permutations(seeds, 1, 16))
