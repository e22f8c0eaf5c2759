"""JSON as Python holds it: what json.loads gives and json.dumps takes. One alias, imported
wherever a value is parsed or JSON-ready, so an unknown shape is narrowed, never `Any`."""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["JSON", "JSONObject"]

JSON: TypeAlias = "bool | int | float | str | list[JSON] | dict[str, JSON] | None"
JSONObject: TypeAlias = "dict[str, JSON]"
