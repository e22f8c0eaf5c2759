"""Request validation: each operation's query parameters compiled from the spec into rules.

Each operation's query parameters (with `$ref`s resolved) become `ParamRule`s at startup; a
schema keyword the compiler does not know is a startup error, never silently skipped. Unknown,
repeated or unparsable parameters are 400; a wrong type or format, a value out of range or not in
the enum is 422; so is a `start_date` after the `end_date`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from scopix_sandbox import clock
from scopix_sandbox.errors import RequestError
from scopix_sandbox.spec import JSON, Operation, SpecError

__all__ = ["INT", "NUMBER", "ParamRule", "RequestValidator", "compile_param"]

INT = re.compile(r"^-?[0-9]+$", re.ASCII)
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$", re.ASCII)
# Keywords a parameter schema may use; anything else is refused at startup.
_ANNOTATIONS = {"description", "examples", "title", "deprecated", "default"}
_KEYWORDS = {"type", "enum", "format", "minimum", "maximum", "minLength", "maxLength", "pattern"}
_FORMATS = {"date-time", "date"}


@dataclass(frozen=True)
class ParamRule:
    name: str
    type: str
    required: bool
    default: Any
    enum: tuple[Any, ...] | None
    format: str | None
    minimum: float | None
    maximum: float | None
    min_length: int | None
    max_length: int | None
    pattern: re.Pattern[str] | None
    allowed: str
    """Human description of the allowed values, for error messages and `details.allowed`."""

    def parse(self, raw: str) -> Any:
        value: Any
        if self.type == "integer":
            if not INT.match(raw):
                raise self._invalid(raw, "must be an integer")
            value = int(raw)
        elif self.type == "number":
            if not NUMBER.match(raw):
                raise self._invalid(raw, "must be a number")
            value = float(raw)
        elif self.type == "boolean":
            if raw not in ("true", "false"):
                raise self._invalid(raw, "must be true or false")
            value = raw == "true"
        else:
            value = raw
        if self.enum is not None and value not in self.enum:
            raise self._invalid(raw, "is not an allowed value")
        if self.minimum is not None and value < self.minimum:
            raise self._invalid(raw, "is out of range")
        if self.maximum is not None and value > self.maximum:
            raise self._invalid(raw, "is out of range")
        if self.min_length is not None and len(value) < self.min_length:
            raise self._invalid(raw, "is too short")
        if self.max_length is not None and len(value) > self.max_length:
            raise self._invalid(raw, "is too long")
        if self.pattern is not None and not self.pattern.search(value):
            raise self._invalid(raw, "does not match the pattern")
        if self.format == "date-time":
            us = clock.parse_datetime(value)
            if us is None:
                hint = ""
                if " " in value:
                    hint = " (a '+' in a query string must be sent as %2B)"
                raise self._invalid(raw, "is not an RFC 3339 date-time with an offset" + hint)
            return us
        if self.format == "date":
            day = clock.parse_date(value)
            if day is None:
                raise self._invalid(raw, "is not a date (YYYY-MM-DD)")
            return day
        return value

    def _invalid(self, raw: str, why: str) -> RequestError:
        shown = raw if len(raw) <= 64 else raw[:61] + "..."
        return RequestError(
            422,
            "invalid_parameter",
            f"Parameter '{self.name}' {why}: got {shown!r}; allowed: {self.allowed}.",
            {"parameter": self.name, "allowed": self.allowed, "value": shown},
        )


def compile_param(param: JSON, where: str) -> ParamRule:
    name = param["name"]
    schema = param.get("schema", {})
    unknown = set(schema) - _KEYWORDS - _ANNOTATIONS
    if unknown:
        raise SpecError(f"{where}: parameter {name!r} uses unsupported keywords {sorted(unknown)}")
    typ = schema.get("type", "string")
    if typ not in ("integer", "number", "boolean", "string"):
        raise SpecError(f"{where}: parameter {name!r} has unsupported type {typ!r}")
    fmt = schema.get("format")
    if fmt is not None and fmt not in _FORMATS:
        raise SpecError(f"{where}: parameter {name!r} has unsupported format {fmt!r}")
    enum = tuple(schema["enum"]) if "enum" in schema else None
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    min_len, max_len = schema.get("minLength"), schema.get("maxLength")
    pattern = schema.get("pattern")
    if enum is not None:
        allowed = "one of " + ", ".join(str(v) for v in enum)
    elif fmt == "date-time":
        allowed = "an RFC 3339 date-time with an offset, e.g. 2026-11-01T00:00:00Z"
    elif fmt == "date":
        allowed = "a date, YYYY-MM-DD"
    elif typ == "boolean":
        allowed = "true or false"
    elif typ in ("integer", "number"):
        noun = "an integer" if typ == "integer" else "a number"
        if minimum is not None and maximum is not None:
            allowed = f"{minimum} to {maximum}"
        elif minimum is not None:
            allowed = f"{noun} >= {minimum}"
        elif maximum is not None:
            allowed = f"{noun} <= {maximum}"
        else:
            allowed = noun
    elif min_len is not None or max_len is not None:
        allowed = f"a string of {min_len or 0} to {max_len if max_len is not None else 'any'}"
        allowed += " characters"
    else:
        allowed = "a string"
    if pattern is not None:
        allowed += f" matching {pattern}"
    return ParamRule(
        name=name,
        type=typ,
        required=bool(param.get("required", False)),
        default=schema.get("default"),
        enum=enum,
        format=fmt,
        minimum=minimum,
        maximum=maximum,
        min_length=min_len,
        max_length=max_len,
        pattern=re.compile(pattern) if pattern is not None else None,
        allowed=allowed,
    )


class RequestValidator:
    """Parses and checks one operation's query string into typed values (defaults filled in)."""

    def __init__(self, op: Operation) -> None:
        self.operation_id = op.operation_id
        self.rules = {p["name"]: compile_param(p, op.operation_id) for p in op.parameters}
        self.defaults = {
            name: rule.parse(
                str(rule.default).lower() if rule.type == "boolean" else str(rule.default)
            )
            if rule.default is not None
            else None
            for name, rule in self.rules.items()
        }
        self.allowed_names = ", ".join(self.rules) if self.rules else "none"
        self.has_range = "start_date" in self.rules and "end_date" in self.rules

    def parse(self, query: str) -> dict[str, Any]:
        values = dict(self.defaults)
        if query:
            try:
                pairs = parse_qsl(
                    query, keep_blank_values=True, strict_parsing=True, errors="strict"
                )
            except (ValueError, UnicodeDecodeError) as exc:
                raise RequestError(
                    400,
                    "malformed_query",
                    f"The query string cannot be parsed: {exc}.",
                    {"parameter": None, "allowed": self.allowed_names},
                ) from None
            seen: set[str] = set()
            for name, raw in pairs:
                rule = self.rules.get(name)
                if rule is None:
                    raise RequestError(
                        400,
                        "unknown_parameter",
                        f"Unknown query parameter '{name}'; {self.operation_id} accepts: "
                        f"{self.allowed_names}.",
                        {"parameter": name, "allowed": self.allowed_names},
                    )
                if name in seen:
                    raise RequestError(
                        400,
                        "repeated_parameter",
                        f"Query parameter '{name}' is given more than once.",
                        {"parameter": name, "allowed": rule.allowed},
                    )
                seen.add(name)
                values[name] = rule.parse(raw)
        for name, rule in self.rules.items():
            if rule.required and values.get(name) is None:
                raise RequestError(
                    422,
                    "missing_parameter",
                    f"Parameter '{name}' is required; allowed: {rule.allowed}.",
                    {"parameter": name, "allowed": rule.allowed},
                )
        if self.has_range:
            start, end = values.get("start_date"), values.get("end_date")
            if start is not None and end is not None and start > end:
                raise RequestError(
                    422,
                    "invalid_date_range",
                    "Parameter 'start_date' is after 'end_date'; allowed: a start_date at or "
                    "before the end_date.",
                    {"parameter": "start_date", "allowed": "at or before end_date"},
                )
        return values
