"""Local `$ref`s of an OpenAPI document (`#/components/schemas/X`): the one resolver of the dev
tooling, used by the scripts and by the tests (`tests/openapi.py`). The SDK (`scopix._spec`) and
the sandbox resolve inside their own distributions.

Scripts import it by name (`from spec_refs import resolve`): a script's folder is on `sys.path`
when it runs, and pytest and mypy have `scripts` on their paths too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_HOPS", "RefError", "pointer", "ref_name", "resolve"]

MAX_HOPS = 64  # a chain longer than this is taken for a cycle


class RefError(ValueError):
    """A `$ref` that names nothing in the document, or a cycle of them."""


def pointer(ref: str) -> list[str]:
    """The parts of a local JSON pointer (`#/a/b~1c` -> ["a", "b/c"])."""
    return [p.replace("~1", "/").replace("~0", "~") for p in ref.removeprefix("#/").split("/")]


def ref_name(node: Any) -> str | None:
    """The component a `$ref` names (`#/components/schemas/X` -> "X"), None when inline."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    return str(ref).rsplit("/", 1)[-1] if ref else None


def resolve(document: Any, node: Any) -> Any:
    """`node`, or what its `$ref` names in `document`, followed until a node without one; a node
    that is not an object (None, a list) comes back as it is. Siblings of a 3.1 `$ref`
    (description, examples) annotate: the target defines."""
    for _ in range(MAX_HOPS):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        ref: str = node["$ref"]
        target = document
        for part in pointer(ref):
            if isinstance(target, dict):
                target = target.get(part)
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                target = None
            if target is None:
                raise RefError(f"unresolvable $ref {ref}")
        node = target
    raise RefError("$ref cycle")
