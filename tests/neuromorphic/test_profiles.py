"""EnergyProfile: read-only prices, and refusals of what is not a profile."""

import copy
import math
import pickle

import numpy as np
import pytest

from sklearn_klrhop.neuromorphic import ENERGY_PROFILES, EnergyProfile


def _fields(**changes):
    fields = {
        "name": "chip",
        "description": "a test chip",
        "source": "a datasheet",
        "evidence": "measured",
        "scope": "per-operation",
        "grade": "V",
        "prices": {"accumulates": 1e-12, "events": np.float32(2e-12)},
    }
    fields.update(changes)
    return fields


def test_profile_keeps_read_only_copies_of_its_mappings():
    prices, int8 = {"accumulates": 1e-12}, {"accumulates": 1e-13}
    notes = {"accumulates": "from the datasheet"}
    profile = EnergyProfile(**_fields(prices=prices, int8_prices=int8, notes=notes))
    # the caller's dicts change; the profile does not
    prices["accumulates"], int8["macs"], notes["events"] = 5.0, 5.0, "added"
    assert dict(profile.prices) == {"accumulates": 1e-12}
    assert dict(profile.int8_prices) == {"accumulates": 1e-13}
    assert dict(profile.notes) == {"accumulates": "from the datasheet"}
    for mapping in (profile.prices, profile.int8_prices, profile.notes):
        with pytest.raises(TypeError):
            mapping["accumulates"] = 0.0
    assert profile.prices_for("int8") == {"accumulates": 1e-13}
    assert profile.prices_for("float32") == {"accumulates": 1e-12}


def test_profile_defaults_to_no_int8_prices_and_no_notes():
    profile = EnergyProfile(**_fields())
    for mapping in (profile.int8_prices, profile.notes):
        assert len(mapping) == 0
        with pytest.raises(TypeError):
            mapping["accumulates"] = 0.0
    assert profile.prices_for("int8") == profile.prices_for("float32")
    assert profile.prices_for("float32")["events"] == np.float32(2e-12)


def test_every_published_profile_is_read_only():
    for profile in ENERGY_PROFILES.values():
        for mapping in (profile.prices, profile.int8_prices, profile.notes):
            with pytest.raises(TypeError):
                mapping["accumulates"] = 0.0


@pytest.mark.parametrize(
    "key, value, accepted",
    [
        ("evidence", "guessed", "('measured', 'simulated', 'fitted', 'derived')"),
        ("scope", "per-chip", "('per-operation', 'all-in')"),
    ],
)
def test_profile_refuses_an_unknown_evidence_or_scope(key, value, accepted):
    msg = (
        f"The {key} of energy profile 'chip' must be one of {accepted}; got '{value}'."
    )
    with pytest.raises(ValueError) as info:
        EnergyProfile(**_fields(**{key: value}))
    assert str(info.value) == msg


@pytest.mark.parametrize(
    "price", [-1e-12, math.nan, math.inf, 10**400, "1 pJ", True, None]
)
@pytest.mark.parametrize("where", ["prices", "int8_prices"])
def test_profile_refuses_a_price_that_is_not_joules(where, price):
    fields = _fields(**{where: {"macs": price}})
    msg = (
        "The price of 'macs' in energy profile 'chip' must be a finite number "
        f"of joules >= 0; got {price!r}."
    )
    with pytest.raises(ValueError) as info:
        EnergyProfile(**fields)
    assert str(info.value) == msg


def test_profile_accepts_a_free_operation():
    # a price of zero says the platform does it at no cost (not "not priced")
    profile = EnergyProfile(**_fields(prices={"events": 0.0, "macs": 1}))
    assert profile.prices_for("float32") == {"events": 0.0, "macs": 1}


def test_profiles_pickle_and_copy():
    for profile in ENERGY_PROFILES.values():
        for twin in (pickle.loads(pickle.dumps(profile)), copy.deepcopy(profile)):
            assert twin == profile
            with pytest.raises(TypeError):
                twin.prices["accumulates"] = 0.0


@pytest.mark.parametrize("where", ["prices", "int8_prices", "notes"])
def test_profile_refuses_what_is_not_a_mapping(where):
    msg = (
        f"The {where} of energy profile 'chip' must be a mapping of metric names; "
        "got list."
    )
    with pytest.raises(TypeError) as info:
        EnergyProfile(**_fields(**{where: [("macs", 1e-12)]}))
    assert str(info.value) == msg
