"""The house: who may import whom, and how large a room may grow.

Parses the imports of every module of the package (nothing is run). A
subpackage keeps its private modules and names to itself: another room
imports what it needs from the subpackage's face (its ``__init__``), or from
the shared foundation at the top (the base class, the codec, data sets,
metrics, plotting helpers). And no room imports one above it.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sklearn_klrhop"
MODULES = sorted(PACKAGE.rglob("*.py"))

# Rooms from the ground up: a module may import from its own room, from the
# foundation, and from rooms on a lower floor only.
FLOORS = {
    "_encoding": 0,
    "_masks": 0,
    "_state": 0,
    "_version": 0,
    "_warnings": 0,
    "datasets": 0,
    "metrics": 0,
    "_plotting": 0,
    "retrieval": 0,
    "solvers": 0,
    "_base": 1,
    "_partial": 1,
    "memories": 2,
    "_persistence": 3,
    "model_selection": 3,
    "inspection": 3,
    "neuromorphic": 3,
    "experiments": 4,
    "__init__": 5,
    "__main__": 5,
}
FOUNDATION = {"_encoding", "datasets", "metrics", "_plotting", "_warnings", "_base"}
MAX_LINES = 500


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _room(module):
    """The room of a dotted module name: its subpackage or top-level module."""
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _is_module(dotted):
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(source, package):
    """``(target module, imported names, line)`` for every import of the package."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            if target.split(".")[0] != "sklearn_klrhop":
                continue
            names = [a.name for a in node.names]
            modules = [n for n in names if _is_module(f"{target}.{n}")]
            for name in modules:  # from . import memories
                yield f"{target}.{name}", [], node.lineno
            if len(modules) < len(names):
                yield target, [n for n in names if n not in modules], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sklearn_klrhop":
                    yield alias.name, [], node.lineno


def _violations(path, source=None):
    here = _module_name(path)
    room = _room(here) if path.name != "__main__.py" else "__main__"
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    source = path.read_text() if source is None else source
    for target, names, line in _imports(source, package):
        where = f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        other = _room(target)
        if other == room:
            continue
        private = [p for p in target.split(".")[2:] if p.startswith("_")]
        if other not in FOUNDATION and (private or target.count(".") > 1):
            yield f"{where}: go through the face of {other!r}"
        if [n for n in names if n.startswith("_")]:
            yield f"{where}: private names {names} of another room"
        if FLOORS[other] > FLOORS[room]:
            yield f"{where}: {room!r} must not import {other!r}, a room above it"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_rooms_import_each_other_only_through_their_faces(path):
    assert list(_violations(path)) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_past_500_lines(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_the_checker_sees_a_violation(tmp_path):
    # The rule itself must be able to fail: a planted import through a
    # private module of another room is found.
    fake = PACKAGE / "model_selection" / "_planted_for_test.py"
    fake.write_text(
        "from ..retrieval._engine import Engine\nfrom .._encoding import _x\n"
    )
    try:
        found = list(_violations(fake))
    finally:
        fake.unlink()
    assert any("face of 'retrieval'" in v for v in found)
    assert any("private names" in v for v in found)


def test_every_room_is_on_a_floor():
    rooms = {_room(_module_name(p)) for p in MODULES} - {"__init__"}
    assert rooms <= set(FLOORS)
