"""Energy prices of the counted operations, with their source, evidence and scope.

Every number below comes from the source named in its profile, and each
profile grades how its numbers were checked against that source: V (read in
the primary source), S (the primary number read through a verbatim third-party
quote), R (not re-checked). Prices are in joules per counted unit; a metric
missing from ``prices`` is not priced by that profile.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import partial
from numbers import Real
from types import MappingProxyType

PICO, NANO = 1e-12, 1e-9

EVIDENCE = ("measured", "simulated", "fitted", "derived")
SCOPES = ("per-operation", "all-in")


@dataclass(frozen=True)
class EnergyProfile:
    """Prices of the counted operations on one platform.

    The three mappings are stored as read-only copies, so a profile cannot
    change after it is made; an unknown ``evidence`` or ``scope``, or a price
    that is not a finite number of joules >= 0, raises ``ValueError``, and
    one of the three that is not a mapping raises ``TypeError``.

    Parameters
    ----------
    name : str
        Key of the profile in ``ENERGY_PROFILES``.
    description : str
        The platform and its operating point.
    source : str
        Where the numbers come from.
    evidence : {"measured", "simulated", "fitted", "derived"}
    scope : {"per-operation", "all-in"}
        ``"all-in"``: the price already includes memory, routing and static
        power at the stated operating point; nothing may be added on top.
    grade : str
        How each number was checked against its source: V (read in the
        primary source), S (the primary number read through a verbatim
        third-party quote), R (not re-checked).
    prices : mapping of str to float
        Joules per unit of a ledger metric (``memory_reads`` per bit).
    int8_prices : mapping of str to float, default={}
        Prices that replace ``prices`` with 8-bit quantised ``dual_coef_``;
        empty when the platform's datapath does not change with it.
    notes : mapping of str to str, default={}
        Where each price comes from, and what the profile leaves out.

    Examples
    --------
    >>> from sklearn_klrhop.neuromorphic import ENERGY_PROFILES
    >>> profile = ENERGY_PROFILES["horowitz_45nm"]
    >>> profile.scope, profile.prices_for("int8")["accumulates"]
    ('per-operation', 1e-13)
    """

    name: str
    description: str
    source: str
    evidence: str
    scope: str
    grade: str
    prices: Mapping
    int8_prices: Mapping = field(default_factory=dict)
    notes: Mapping = field(default_factory=dict)

    def __post_init__(self):
        for key, accepted in (("evidence", EVIDENCE), ("scope", SCOPES)):
            if getattr(self, key) not in accepted:
                raise ValueError(
                    f"The {key} of energy profile {self.name!r} must be one of "
                    f"{accepted}; got {getattr(self, key)!r}."
                )
        for key in ("prices", "int8_prices", "notes"):
            value = getattr(self, key)
            if not isinstance(value, Mapping):
                raise TypeError(
                    f"The {key} of energy profile {self.name!r} must be a mapping "
                    f"of metric names; got {type(value).__name__}."
                )
            # read-only copies: the caller's dicts may change, the profile not
            object.__setattr__(self, key, MappingProxyType(dict(value)))
        for metric, price in {**self.prices, **self.int8_prices}.items():
            if not _is_joules(price):
                raise ValueError(
                    f"The price of {metric!r} in energy profile {self.name!r} must "
                    f"be a finite number of joules >= 0; got {price!r}."
                )

    def __reduce__(self):
        # MappingProxyType does not pickle: rebuild from plain dicts (checked again)
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("prices", "int8_prices", "notes"):
            values[key] = dict(values[key])
        return partial(type(self), **values), ()

    def prices_for(self, precision):
        """Return the prices at ``precision``.

        Parameters
        ----------
        precision : {"float32", "int8"}
            Precision of the stored coefficients.

        Returns
        -------
        prices : dict of str to float
            Joules per unit of each priced metric.
        """
        if precision == "int8":
            return {**self.prices, **self.int8_prices}
        return dict(self.prices)


def _is_joules(price):
    """A finite real number >= 0 (not a bool; an int too large for a float is not)."""
    if isinstance(price, bool) or not isinstance(price, Real):
        return False
    try:
        return math.isfinite(price) and price >= 0
    except OverflowError:
        return False


_KERNEL_AS_NEURON = (
    "a kernel unit is mapped to a neuron, so an evaluation or update of a unit "
    "is priced as one neuron update (our mapping, not from the source)"
)
_NOT_COUNTED = (
    "static power, idle neuron updates, routing between cores and chips, and "
    "barrier energy (only barrier times are published) are not included"
)

ENERGY_PROFILES = MappingProxyType(
    {
        "horowitz_45nm": EnergyProfile(
            name="horowitz_45nm",
            description="Conventional CMOS, 45 nm, 0.9 V (default reference)",
            source=(
                "M. Horowitz, 'Computing's energy problem (and what we can do "
                "about it)', ISSCC 2014, doi:10.1109/ISSCC.2014.6757323"
            ),
            evidence="derived",
            scope="per-operation",
            grade="V for 32-bit add/mult and the 8 kB cache read, S for 8-bit mult",
            prices={
                "accumulates": 0.9 * PICO,
                "macs": (3.7 + 0.9) * PICO,
                "kernel_evaluations": 3.7 * PICO,
                "kernel_updates": 3.7 * PICO,
                "memory_reads": 10.0 * PICO / 64,
            },
            int8_prices={
                "accumulates": 0.1 * PICO,
                "macs": (0.2 + 0.1) * PICO,
            },
            notes={
                "accumulates": "32-bit FP add 0.9 pJ (V); int8: 32-bit int add 0.1 pJ (V)",
                "macs": (
                    "32-bit FP mult 3.7 pJ + add 0.9 pJ (derived); int8: 8-bit int "
                    "mult 0.2 pJ (S) + 32-bit int add 0.1 pJ (V), derived"
                ),
                "kernel": (
                    "one 32-bit FP multiply 3.7 pJ (V): a flip rescales each "
                    "RBF kernel value by exp(-+4 gamma); derived"
                ),
                "memory_reads": (
                    "8 kB 64-bit wide cache access 10 pJ (V), per bit; a larger "
                    "dual_coef_ needs a larger SRAM (1 MB: 100 pJ, S), so this is "
                    "a lower bound"
                ),
                "not priced": (
                    "neuron updates, events and barriers (no figure in the table); "
                    + _NOT_COUNTED
                ),
            },
        ),
        "loihi1_presilicon": EnergyProfile(
            name="loihi1_presilicon",
            description="Intel Loihi 1, pre-silicon minimum (14 nm, about 0.75 V)",
            source=(
                "Davies et al., IEEE Micro 38(1):82-99, 2018, Table 2 'Loihi "
                "pre-silicon performance and energy measurements', "
                "doi:10.1109/MM.2018.112130359"
            ),
            evidence="simulated",
            scope="per-operation",
            grade="S",
            prices={
                "accumulates": 23.6 * PICO,
                "macs": 23.6 * PICO,
                "neuron_updates": 81.0 * PICO,
                "kernel_evaluations": 81.0 * PICO,
                "kernel_updates": 81.0 * PICO,
                "events": 1.7 * PICO,
            },
            notes={
                "synaptic_ops": "23.6 pJ per synaptic spike op, a minimum (SDF + SPICE)",
                "neuron_updates": "81 pJ per active neuron update",
                "kernel": _KERNEL_AS_NEURON,
                "events": "1.7 pJ within-tile spike; tile hops (3.0 / 4.0 pJ) not counted",
                "not priced": (
                    "memory reads (inside the synaptic op); inactive neuron updates "
                    "(52 pJ); " + _NOT_COUNTED
                ),
            },
        ),
        "loihi1_sanafe": EnergyProfile(
            name="loihi1_sanafe",
            description="Intel Loihi 1 as fitted by the SANA-FE simulator",
            source=(
                "SANA-FE arch/loihi.yaml (https://github.com/SLAM-Lab/SANA-FE), "
                "fitted to Nahuku measurements; Boyle et al., IEEE TCAD "
                "44(8):3165-3178, 2025"
            ),
            evidence="fitted",
            scope="per-operation",
            grade="V (YAML) / S (fit error: about 11.7 % energy)",
            prices={
                "accumulates": 35.5 * PICO,
                "macs": 35.5 * PICO,
                "neuron_updates": 72.8 * PICO,
                "kernel_evaluations": 72.8 * PICO,
                "kernel_updates": 72.8 * PICO,
                "events": 76.8 * PICO,
            },
            notes={
                "synaptic_ops": "synapse spike 35.5 pJ",
                "neuron_updates": "soma active update 72.8 pJ",
                "kernel": _KERNEL_AS_NEURON,
                "events": "axon-out 76.8 pJ per spike; hops (3.0 / 4.2 pJ) not counted",
                "not priced": "memory reads (inside the synapse energy); "
                + _NOT_COUNTED,
            },
        ),
        "truenorth": EnergyProfile(
            name="truenorth",
            description=(
                "IBM TrueNorth, all-in at its operating point (20 Hz, 128 active "
                "synapses per neuron, 0.775 V, 72 mW)"
            ),
            source=(
                "Merolla et al., Science 345(6197):668, 2014, "
                "doi:10.1126/science.1254642"
            ),
            evidence="measured",
            scope="all-in",
            grade="S",
            prices={"accumulates": 26.0 * PICO, "macs": 26.0 * PICO},
            notes={
                "synaptic_ops": (
                    "26 pJ per synaptic event considering total energy (leakage, "
                    "routing and SRAM reads included); nothing is added on top"
                ),
                "not priced": (
                    "everything else is inside the all-in figure; the figure holds "
                    "at its operating point only"
                ),
            },
        ),
        "spinnaker1": EnergyProfile(
            name="spinnaker1",
            description="SpiNNaker 1 (130 nm, ARM968 cores)",
            source=(
                "KerasSpiking model_energy.py device table, citing Hoeppner et "
                "al. 2019, arXiv:1903.08941"
            ),
            evidence="measured",
            scope="per-operation",
            grade="V (table) / R (original context)",
            prices={
                "accumulates": 13.3 * NANO,
                "macs": 13.3 * NANO,
                "neuron_updates": 26.0 * NANO,
                "kernel_evaluations": 26.0 * NANO,
                "kernel_updates": 26.0 * NANO,
            },
            notes={
                "synaptic_ops": "13.3 nJ per synop",
                "neuron_updates": "26 nJ per neuron update",
                "kernel": _KERNEL_AS_NEURON,
                "not priced": "memory reads, events; " + _NOT_COUNTED,
            },
        ),
        "spinnaker2_prototype": EnergyProfile(
            name="spinnaker2_prototype",
            description="SpiNNaker 2 prototype (28 nm test chip with DVFS)",
            source=(
                "KerasSpiking model_energy.py device table, citing Hoeppner et "
                "al., IEEE TCAS-I 66(8), 2019; not the final 22 nm FDSOI chip"
            ),
            evidence="measured",
            scope="per-operation",
            grade="V (table) / R (which chip)",
            prices={
                "accumulates": 450.0 * PICO,
                "macs": 450.0 * PICO,
                "neuron_updates": 2.19 * NANO,
                "kernel_evaluations": 2.19 * NANO,
                "kernel_updates": 2.19 * NANO,
            },
            notes={
                "synaptic_ops": "450 pJ per synop",
                "neuron_updates": "2.19 nJ per neuron update",
                "kernel": _KERNEL_AS_NEURON,
                "not priced": "memory reads, events; " + _NOT_COUNTED,
            },
        ),
    }
)

DEFAULT_PROFILE = "horowitz_45nm"
