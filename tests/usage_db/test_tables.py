"""The tables' columns are the spec's fields: a field added to, dropped from or retyped in
openapi.yaml fails here, not in a user's database."""

from __future__ import annotations

from typing import Any

import pytest

from scopix.usage_db._tables import CONVERSATIONS, EVENTS, FILES, Table
from tests.openapi import spec

SQL_OF: dict[tuple[str, str | None], set[str]] = {
    ("string", None): {"text"},
    ("string", "date-time"): {"timestamp"},
    ("integer", None): {"int", "bigint"},
    ("number", None): {"float"},
}


def _kind(prop: dict[str, Any]) -> tuple[str, str | None]:
    if "anyOf" in prop:  # an open enum: the enum's values or any string
        return ("string", None)
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    [kind] = [t for t in types if t != "null"]
    return (kind, prop.get("format"))


@pytest.mark.parametrize(
    ("table", "schema"),
    [(EVENTS, "UsageEvent"), (FILES, "FileTokenUsage"), (CONVERSATIONS, "ConversationTokenUsage")],
)
def test_columns_are_the_schema_fields(table: Table, schema: str) -> None:
    model = spec()["components"]["schemas"][schema]
    assert [c.name for c in table.fields] == list(model["properties"])
    assert {c.name for c in table.fields if c.required} == set(model["required"])
    for column in table.fields:
        assert column.type in SQL_OF[_kind(model["properties"][column.name])], column.name
