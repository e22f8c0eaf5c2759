"""Response validation (test mode): each body is checked with jsonschema (Draft 2020-12, format
checking on) against the spec's schema for the operation and status, and the documented headers
are checked against their schemas."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from scopix_sandbox.params import INT, NUMBER
from scopix_sandbox.spec import JSON, Spec

__all__ = ["ResponseValidator"]


class ResponseValidator:
    """Checks response bodies and headers against the spec (jsonschema, Draft 2020-12)."""

    def __init__(self, spec: Spec) -> None:
        from jsonschema import Draft202012Validator

        checker = Draft202012Validator.FORMAT_CHECKER
        missing = {"date-time", "date"} - set(checker.checkers)
        if missing:
            raise RuntimeError(
                f"jsonschema cannot check formats {sorted(missing)}: install rfc3339-validator "
                "(the `sandbox` extra) to validate responses"
            )
        self._validators: dict[tuple[str, str], Callable[[Any], list[str]]] = {}
        self._headers: dict[tuple[str, str], dict[str, JSON]] = {}
        for op in spec.operations.values():
            # The spec's responses with every `$ref` inlined: a registry lookup per $ref per
            # array item made a 120,000-month answer take 13 s to check.
            for status, response in op.responses.items():
                self._headers[(op.operation_id, status)] = {
                    name: h.get("schema", {}) for name, h in response.get("headers", {}).items()
                }
                media = response.get("content", {}).get("application/json")
                if media is None:
                    continue
                validator = Draft202012Validator(media["schema"], format_checker=checker)

                def errors(body: Any, v: Any = validator) -> list[str]:
                    return [
                        f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message}"
                        for e in v.iter_errors(body)
                    ]

                self._validators[(op.operation_id, status)] = errors

    def _key(self, operation_id: str, status: int) -> tuple[str, str] | None:
        for key in ((operation_id, str(status)), (operation_id, f"{str(status)[0]}XX")):
            if key in self._validators or key in self._headers:
                return key
        return None

    def check(
        self, operation_id: str, status: int, body: Any, headers: Mapping[str, str]
    ) -> list[str]:
        """Problems with the response; empty when it matches the spec."""
        key = self._key(operation_id, status)
        if key is None:
            return [f"status {status} is not documented for {operation_id}"]
        problems = []
        validate = self._validators.get(key)
        if validate is not None:
            problems.extend(validate(body))
        lower = {k.lower(): v for k, v in headers.items()}
        for name, schema in self._headers.get(key, {}).items():
            value = lower.get(name.lower())
            if value is None:
                problems.append(f"header {name} is missing")
                continue
            problems.extend(_check_header(name, value, schema))
        return problems


def _check_header(name: str, value: str, schema: JSON) -> list[str]:
    typ = schema.get("type", "string")
    number: float
    if typ == "integer":
        if not INT.match(value):
            return [f"header {name}: {value!r} is not an integer"]
        number = int(value)
    elif typ == "number":
        if not NUMBER.match(value):
            return [f"header {name}: {value!r} is not a number"]
        number = float(value)
        if math.isnan(number):
            return [f"header {name}: NaN"]
    else:
        return []
    minimum = schema.get("minimum")
    if minimum is not None and number < minimum:
        return [f"header {name}: {value} is below {minimum}"]
    return []
