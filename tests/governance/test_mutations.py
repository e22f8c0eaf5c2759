"""The breaking-change rules (scripts/spec_diff.py) on a battery of labelled mutations of
openapi.yaml (mutations.yaml): every breaking one is caught, named where it breaks callers, and
no safe one raises an alarm. In process, so the whole battery takes well under a second."""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import openapi

ROOT = Path(__file__).resolve().parents[2]
BATTERY = yaml.safe_load((Path(__file__).parent / "mutations.yaml").read_text(encoding="utf-8"))
SPEC = openapi.spec()  # read only: apply_patch copies it


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


spec_diff = _load("spec_diff")


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node, parts[-1]


def apply_patch(doc: Any, ops: list[dict[str, Any]]) -> Any:
    """JSON Patch (RFC 6902) add / remove / replace / move, enough for the battery."""
    doc = copy.deepcopy(doc)
    for op in ops:
        if op["op"] == "move":
            parent, key = _parent(doc, op["from"])
            value = parent.pop(int(key) if isinstance(parent, list) else key)
            op = {"op": "add", "path": op["path"], "value": value}
        parent, key = _parent(doc, op["path"])
        if op["op"] == "remove":
            parent.pop(int(key) if isinstance(parent, list) else key)
        elif isinstance(parent, list):
            index = len(parent) if key == "-" else int(key)
            if op["op"] == "replace":
                parent[index] = copy.deepcopy(op["value"])
            else:
                parent.insert(index, copy.deepcopy(op["value"]))
        else:
            if op["op"] == "replace" and key not in parent:
                raise KeyError(f"replace of a missing {op['path']}")
            parent[key] = copy.deepcopy(op["value"])
    return doc


def pair(mutation: dict[str, Any]) -> tuple[Any, Any]:
    base = apply_patch(SPEC, mutation.get("base_patch", []))
    return base, apply_patch(base, mutation["patch"])


MUTATIONS = {m["id"]: m for m in BATTERY["mutations"]}


@cache
def changes_of(mutation_id: str) -> list[Any]:
    return list(spec_diff.diff(*pair(MUTATIONS[mutation_id])))


def test_the_battery_is_sound() -> None:
    assert len(MUTATIONS) == len(BATTERY["mutations"]), "duplicate ids"
    labels = [m["breaking"] for m in MUTATIONS.values()]
    assert labels.count(True) >= 40
    assert labels.count(False) >= 35
    for m in MUTATIONS.values():
        base, revision = pair(m)
        assert base != revision, f"{m['id']} changes nothing"


@pytest.mark.parametrize("mutation_id", sorted(MUTATIONS))
def test_verdict_matches_the_label(mutation_id: str) -> None:
    mutation = MUTATIONS[mutation_id]
    changes = changes_of(mutation_id)
    found = [c for c in changes if c.breaking]
    report = "\n".join(f"{c.breaking} {c.where}: {c.message} ({c.rule})" for c in changes)
    if mutation["breaking"]:
        assert found, f"missed a breaking change:\n{report}"
    else:
        assert not found, f"false alarm:\n{report}"
    for where in mutation.get("where", []):
        assert any(c.where == where for c in found), f"not reported at {where}:\n{report}"
    if "says" in mutation:
        assert any(mutation["says"] in c.message for c in changes), report


def test_an_unchanged_spec_has_no_changes() -> None:
    assert spec_diff.diff(SPEC, copy.deepcopy(SPEC)) == []


OPERATION = re.compile(r"^(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) /\S*$")
RULE = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")


def test_every_change_names_its_operation_location_and_rule() -> None:
    for mutation_id in MUTATIONS:
        for change in changes_of(mutation_id):
            assert OPERATION.match(change.where) or change.where == "servers", change
            assert RULE.match(change.rule), change
            assert change.location, change
            assert change.message == f"{change.location}: {change.detail}", change
            # What happened names the change itself, not just that something did.
            generic = change.location in ("path", "operation") and change.detail == "removed"
            assert change.detail, change
            assert not generic, change


def test_parameters_are_named_never_numbered() -> None:
    for mutation_id in MUTATIONS:
        for change in changes_of(mutation_id):
            assert "parameters/" not in change.message, change
            assert "#/" not in change.message, change


def test_a_shared_change_is_reported_at_every_operation_it_reaches() -> None:
    changes = changes_of("shared-parameter-format-changed")
    users = {
        f"{method.upper()} {path}"
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if {"$ref": "#/components/parameters/StartDate"} in op.get("parameters", [])
    }
    assert len(users) >= 4
    assert {c.where for c in changes if c.breaking} == users
