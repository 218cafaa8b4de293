"""The event ledger, the execution models and the energy pricing."""

import sys

import numpy as np
import pytest
import sklearn

from sklearn_klrhop import BaseHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.neuromorphic import (
    DEFAULT_PROFILE,
    ENERGY_PROFILES,
    EXECUTION_MODELS,
    EventCountDisplay,
    NeuromorphicCostModel,
)
from sklearn_klrhop.retrieval import Engine, retrieve
from sklearn_klrhop.retrieval._dynamics import row_seeds, run_async, run_sync
from sklearn_klrhop.retrieval._retrieve import _batch_size

N, P = 50, 150


@pytest.fixture(scope="module")
def paper():
    # The papers' cost example: N = 50, P = 150, gamma = 0.1, 20 % noise.
    X = make_patterns(P, N, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.1, lam=0.01, random_state=0).fit(X)
    cues = corrupt(X, 0.2, random_state=1)
    return mem, X, cues


@pytest.fixture(scope="module")
def paper_report(paper):
    mem, X, cues = paper
    return NeuromorphicCostModel().estimate(mem, cues, X)


def test_ledger_agrees_with_the_dynamics(paper, paper_report):
    mem, X, cues = paper
    report = paper_report
    asyn = mem.retrieve(cues, update="async")
    sync = mem.retrieve(cues, update="sync")
    per = report.per_cue
    np.testing.assert_array_equal(per["async"]["events"], asyn.n_events)
    assert report.counts["async"]["events"] == asyn.n_events.sum()
    np.testing.assert_array_equal(per["sync"]["field_evaluations"], sync.n_steps * N)
    assert report.counts["sync"]["field_evaluations"] == sync.n_steps.sum() * N
    # Event-driven with exact fields follows the asynchronous trajectory.
    np.testing.assert_array_equal(per["event_driven"]["events"], asyn.n_events)
    np.testing.assert_array_equal(
        per["event_driven"]["field_evaluations"], asyn.n_events
    )
    assert report.recall["event_driven"] == report.recall["async"]


def test_counts_grow_linearly_with_flips():
    X = make_patterns(80, 40, random_state=3)
    mem = KLRHopfieldMemory(random_state=0).fit(X)
    rng = np.random.RandomState(0)
    noise = rng.choice([0.05, 0.1, 0.2, 0.3], size=80)
    cues = np.vstack(
        [corrupt(x[None], r, random_state=i) for i, (x, r) in enumerate(zip(X, noise))]
    )
    per = NeuromorphicCostModel().estimate(mem, cues, X).per_cue
    n, m = 40, 80
    for model in ("async", "event_driven"):
        flips = per[model]["events"]
        assert np.ptp(flips) >= 8  # the cues span a range of flips
        np.testing.assert_array_equal(per[model]["kernel_updates"], m * flips)
        np.testing.assert_array_equal(per[model]["accumulates"], n * m + m * flips)
        np.testing.assert_array_equal(per[model]["encoder_reads"], n * m + m * flips)
    ed = per["event_driven"]
    np.testing.assert_array_equal(ed["macs"], n * m * (1 + ed["events"]))
    np.testing.assert_array_equal(ed["neuron_updates"], n * (1 + ed["events"]))
    sync = per["sync"]
    np.testing.assert_array_equal(sync["macs"], n * m * sync["steps"])
    np.testing.assert_array_equal(sync["kernel_evaluations"], m * sync["steps"])


def test_papers_cost_example(paper_report):
    report = paper_report
    sync_fe = report.mean("sync", "field_evaluations")
    ed_fe = report.mean("event_driven", "field_evaluations")
    events = report.mean("event_driven", "events")
    # About one flip per wrong bit (10 of 50), and an order of magnitude fewer
    # field evaluations than the synchronous dynamics (papers: 150 vs about 10).
    assert abs(events - 10) <= 0.5
    assert sync_fe >= 10 * ed_fe
    assert report.recall["event_driven"] >= 0.95
    # The full picture: P kernel updates per flip, and with every change
    # propagated, more MACs than the dense synchronous run.
    assert (
        report.counts["event_driven"]["kernel_updates"]
        == P * report.counts["event_driven"]["events"]
    )
    assert report.mean("event_driven", "macs") > report.mean("sync", "macs")
    text = " ".join(report.summary().split())  # its prose is wrapped at 88 columns
    assert f"{report.mean('event_driven', 'kernel_updates'):.0f} kernel updates" in text
    assert f"({P} per flip)" in text
    for model in EXECUTION_MODELS:
        assert model in text


def test_sigma_delta_threshold_trades_macs_for_recall(paper):
    mem, X, cues = paper
    exact = NeuromorphicCostModel().estimate(mem, cues, X)
    tiny = NeuromorphicCostModel(delta_threshold=1e-12).estimate(mem, cues, X)
    np.testing.assert_array_equal(
        tiny.per_cue["event_driven"]["events"], exact.per_cue["event_driven"]["events"]
    )
    sparse = NeuromorphicCostModel(delta_threshold=0.1).estimate(mem, cues, X)
    ed_macs = sparse.mean("event_driven", "macs")
    assert ed_macs * 10 < exact.mean("event_driven", "macs")
    assert ed_macs * 10 < exact.mean("sync", "macs")
    assert sparse.recall["event_driven"] >= 0.95
    # The synchronous and asynchronous runs do not depend on the threshold.
    assert sparse.counts["sync"] == exact.counts["sync"]
    # A threshold no change can exceed sends nothing, and recall collapses.
    mute = NeuromorphicCostModel(delta_threshold=1.0).estimate(mem, cues, X)
    assert mute.counts["event_driven"]["macs"] == 0
    assert mute.recall["event_driven"] < 0.1


def test_precision_int8_quantises_and_measures_recall(paper, paper_report):
    mem, X, cues = paper
    report = NeuromorphicCostModel(precision="int8").estimate(mem, cues, X)
    assert report.recall["sync"] >= 0.95
    for model in EXECUTION_MODELS:
        c = report.counts[model]
        assert c["memory_reads"] == 8 * c["coef_reads"] + c["encoder_reads"]
        f = paper_report.counts[model]
        assert f["memory_reads"] == 32 * f["coef_reads"] + f["encoder_reads"]
    horowitz = ENERGY_PROFILES["horowitz_45nm"]
    assert horowitz.prices_for("int8")["macs"] < horowitz.prices_for("float32")["macs"]
    for name in ("loihi1_presilicon", "truenorth"):
        assert ENERGY_PROFILES[name].prices_for("int8") == ENERGY_PROFILES[
            name
        ].prices_for("float32")


def test_energy_is_priced_counts_over_profiles(paper_report):
    report = paper_report
    for model in EXECUTION_MODELS:
        by = report.energy_by_profile[model]
        assert set(by) == set(ENERGY_PROFILES)
        assert report.energy[model] == (min(by.values()), max(by.values()))
        prices = ENERGY_PROFILES[DEFAULT_PROFILE].prices_for("float32")
        expected = sum(report.counts[model][k] * v for k, v in prices.items())
        assert by[DEFAULT_PROFILE] == pytest.approx(expected)
        truenorth = report.counts[model]["synaptic_ops"] * 26e-12
        assert by["truenorth"] == pytest.approx(truenorth)


def test_energy_profiles_carry_source_evidence_and_scope():
    assert DEFAULT_PROFILE == "horowitz_45nm"
    assert set(ENERGY_PROFILES) == {
        "horowitz_45nm",
        "loihi1_presilicon",
        "loihi1_sanafe",
        "truenorth",
        "spinnaker1",
        "spinnaker2_prototype",
    }
    for name, profile in ENERGY_PROFILES.items():
        assert profile.name == name and profile.source and profile.grade
        assert profile.evidence in ("measured", "simulated", "fitted", "derived")
        assert profile.scope in ("per-operation", "all-in")
        assert all(v > 0 for v in profile.prices.values())
    assert ENERGY_PROFILES["loihi1_presilicon"].evidence == "simulated"
    assert ENERGY_PROFILES["loihi1_sanafe"].evidence == "fitted"
    truenorth = ENERGY_PROFILES["truenorth"]
    assert truenorth.scope == "all-in"
    # Nothing is added on top of an all-in figure.
    assert set(truenorth.prices) == {"accumulates", "macs"}
    assert not any("loihi2" in name or "loihi_2" in name for name in ENERGY_PROFILES)


class _HebbMemory(BaseHopfieldMemory):
    """A classical memory on the engine: encoder = W, identity activation."""

    def __init__(
        self,
        *,
        max_steps=30,
        update="sync",
        score_noise=0.2,
        binarize=None,
        random_state=None,
    ):
        self.max_steps = max_steps
        self.update = update
        self.score_noise = score_noise
        self.binarize = binarize
        self.random_state = random_state

    def _fit(self, S, T):
        self.weights_ = S.T @ S / S.shape[1]
        np.fill_diagonal(self.weights_, 0.0)

    def _make_engine(self):
        return Engine(self.weights_, lambda q: (q.copy(), np.zeros(len(q))))


def test_works_for_a_memory_without_decoder():
    X = make_patterns(3, 60, random_state=4)
    mem = _HebbMemory(random_state=0).fit(X)
    cues = corrupt(np.repeat(X, 10, axis=0), 0.1, random_state=5)
    targets = np.repeat(X, 10, axis=0)
    report = NeuromorphicCostModel().estimate(mem, cues, targets)
    assert report.recall["async"] >= 0.9
    np.testing.assert_array_equal(report.initial_distance, 6)
    for model in EXECUTION_MODELS:
        assert report.counts[model]["macs"] == 0
        assert report.counts[model]["coef_reads"] == 0
    ed = report.per_cue["event_driven"]
    # A flip of j changes every overlap but its own (W_jj = 0): 59 units sent.
    np.testing.assert_array_equal(ed["propagated"], 60 + 59 * ed["events"])
    np.testing.assert_array_equal(ed["neuron_updates"], ed["propagated"])
    # Real-valued encoder weights are read as 32-bit words.
    c = report.counts["sync"]
    assert c["memory_reads"] == 32 * c["encoder_reads"]


def test_hand_built_engine_with_diagonal_and_threshold():
    rng = np.random.RandomState(0)
    E = np.where(rng.rand(20, 12) < 0.5, -1.0, 1.0)
    A = rng.normal(size=(20, 12))
    d = rng.uniform(0, 0.5, size=12)
    engine = Engine(E, lambda q: (np.exp(0.2 * (q - 12)), np.zeros(len(q))), A, d)
    S = np.where(rng.rand(30, 12) < 0.5, -1.0, 1.0)
    seeds = row_seeds(S, 1)
    exact = run_async(engine, S, 10, seeds, event_driven=True)
    ref = run_async(engine, S, 10, seeds)
    np.testing.assert_array_equal(exact.states, ref.states)
    near = run_async(engine, S, 10, seeds, event_driven=True, delta_threshold=1e-13)
    np.testing.assert_array_equal(near.states, ref.states)
    c = exact.counts
    # The diagonal adds N accumulates to the kept fields, then one per flip.
    np.testing.assert_array_equal(c["accumulates"], 12 * 20 + 12 + 21 * c["events"])
    sync = run_sync(engine, S, 10).counts
    np.testing.assert_array_equal(sync["accumulates"], (12 * 20 + 12) * sync["steps"])
    np.testing.assert_array_equal(sync["barriers"], sync["steps"])
    np.testing.assert_array_equal(c["barriers"], 1)


def test_batches_give_the_same_counts(paper):
    mem, X, cues = paper
    whole = NeuromorphicCostModel(delta_threshold=0.05).estimate(mem, cues[:40], X[:40])
    with sklearn.config_context(working_memory=0.02):
        assert _batch_size(mem.engine_, mem.max_steps, False) < 40
        batched = NeuromorphicCostModel(delta_threshold=0.05).estimate(
            mem, cues[:40], X[:40]
        )
    assert batched.counts == whole.counts
    assert batched.recall == whole.recall


def test_targets_default_to_the_nearest_stored_pattern(paper):
    mem, X, cues = paper
    with_targets = NeuromorphicCostModel(profiles=["truenorth"]).estimate(
        mem, cues[:20], X[:20]
    )
    default = NeuromorphicCostModel(profiles=["truenorth"]).estimate(mem, cues[:20])
    np.testing.assert_array_equal(
        default.initial_distance, with_targets.initial_distance
    )
    assert default.recall == with_targets.recall
    assert default.profiles == ["truenorth"]
    assert default.energy["sync"][0] == default.energy["sync"][1]


def test_to_frame_and_summary(paper_report):
    pd = pytest.importorskip("pandas")
    frame = paper_report.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(EXECUTION_MODELS)
    assert frame.loc["events", "async"] == pytest.approx(
        paper_report.mean("async", "events")
    )
    totals = paper_report.to_frame(per_retrieval=False)
    assert totals.loc["macs", "sync"] == paper_report.counts["sync"]["macs"]
    assert totals.loc["recall", "event_driven"] == paper_report.recall["event_driven"]
    assert "static power" in paper_report.summary()


def test_invalid_arguments(paper):
    mem, X, cues = paper
    with pytest.raises(ValueError, match="precision"):
        NeuromorphicCostModel(precision="float16").estimate(mem, cues[:2])
    with pytest.raises(ValueError, match="delta_threshold"):
        NeuromorphicCostModel(delta_threshold=-1.0).estimate(mem, cues[:2])
    with pytest.raises(ValueError, match="Loihi 2"):
        NeuromorphicCostModel(profiles=["loihi2"]).estimate(mem, cues[:2])
    with pytest.raises(TypeError, match="BaseHopfieldMemory"):
        NeuromorphicCostModel().estimate(object(), cues[:2])
    with pytest.raises(ValueError, match="one row per cue"):
        NeuromorphicCostModel().estimate(mem, cues[:3], X[:2])
    with pytest.raises(ValueError, match="'update' parameter of retrieve"):
        retrieve(mem.engine_, cues[:2], update="lazy")
    with pytest.raises(ValueError, match="pass event_driven=True"):
        retrieve(mem.engine_, cues[:2], update="async", delta_threshold=0.1)
    with pytest.raises(ValueError, match="use update='async'"):
        retrieve(mem.engine_, cues[:2], event_driven=True)


def test_event_count_display(paper_report):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    disp = EventCountDisplay.from_report(paper_report, models=["async", "sync"])
    d = paper_report.initial_distance
    events = paper_report.per_cue["async"]["events"]
    expected = [events[d == x].mean() for x in np.unique(d)]
    np.testing.assert_allclose(disp.lines_["async"].get_ydata(), expected)
    assert set(disp.lines_) == {"async", "sync"}
    xd, yd = disp.diagonal_.get_data()
    np.testing.assert_array_equal(xd, yd)
    assert disp.ax_.get_xlabel().startswith("initial Hamming")
    import matplotlib.pyplot as plt

    plt.close(disp.figure_)


def test_to_frame_of_one_cue_is_its_totals_and_needs_pandas(paper, monkeypatch):
    pytest.importorskip("pandas")
    mem, _, cues = paper
    report = NeuromorphicCostModel().estimate(mem, cues[:1])
    np.testing.assert_array_equal(
        report.to_frame().to_numpy(), report.to_frame(per_retrieval=False).to_numpy()
    )
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    with pytest.raises(ImportError) as info:
        report.to_frame()
    assert str(info.value) == "to_frame requires pandas: pip install pandas"
