"""Planted defects for the spec lint gates (test_gates.py): each is one change to a copy of
openapi.yaml, the gate that must refuse it, the rule that must be named and the place (a JSON
pointer, and the operation when the place is inside one) the finding must point at."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFECTS", "Defect"]

Spec = dict[str, Any]
PLAN = "/v1/usage/plan"
CHECK = "/v1/usage/check"


@dataclass(frozen=True)
class Defect:
    id: str
    gate: str
    rule: str
    at: str
    """The pointer of a finding starts with this (`#/components/schemas/UsageEvent`)."""
    plant: Callable[[Spec], None]
    operation: str | None = None
    """`GET /v1/usage/plan` when the finding must name it."""


def _op(spec: Spec, path: str = PLAN) -> Spec:
    op: Spec = spec["paths"][path]["get"]
    return op


def _param(spec: Spec, path: str, name: str) -> Spec:
    params: list[Spec] = _op(spec, path)["parameters"]
    (param,) = (p for p in params if p.get("name") == name)
    return param


def _props(spec: Spec, schema: str) -> Spec:
    props: Spec = spec["components"]["schemas"][schema]["properties"]
    return props


def _limit_without_maximum(spec: Spec) -> None:
    del _param(spec, "/v1/usage/top-endpoints", "limit")["schema"]["maximum"]


def _duplicate_operation_id(spec: Spec) -> None:
    _op(spec)["operationId"] = "check"


def _path_parameter_not_in_path(spec: Spec) -> None:
    _op(spec)["parameters"].append(
        {
            "name": "plan_id",
            "in": "path",
            "required": True,
            "description": "Plan.",
            "schema": {"type": "string"},
        }
    )


def _inline_schema_bad_type(spec: Spec) -> None:
    content = _op(spec)["responses"]["200"]["content"]["application/json"]
    content["schema"] = {"type": "object", "properties": {"plan": {"type": "text"}}}


def _media_example_mismatch(spec: Spec) -> None:
    _op(spec)["responses"]["200"]["content"]["application/json"]["example"] = {"period": 5}


DEFECTS = [
    # validator: the document's structure, and every Schema Object
    Defect(
        "parameter-without-in",
        "validator",
        "oas3.1-schema",
        "#/components/parameters/Offset",
        lambda s: s["components"]["parameters"]["Offset"].pop("in"),
    ),
    Defect(
        "parameter-in-body",
        "validator",
        "oas3.1-schema",
        "#/components/parameters/Offset/in",
        lambda s: s["components"]["parameters"]["Offset"].update({"in": "body"}),
    ),
    Defect(
        "response-without-description",
        "validator",
        "oas3.1-schema",
        "#/paths/~1v1~1usage~1plan/get/responses/200",
        lambda s: _op(s)["responses"]["200"].pop("description"),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "unknown-status-code",
        "validator",
        "oas3.1-schema",
        "#/paths/~1v1~1usage~1plan/get/responses",
        lambda s: _op(s)["responses"].update({"2000": {"description": "Nope."}}),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "unnamed-schema",
        "validator",
        "oas3.1-schema",
        "#/components/schemas",
        lambda s: s["components"]["schemas"].update(
            {"Usage Event": {"type": "string", "description": "x"}}
        ),
    ),
    Defect(
        "required-not-a-list",
        "validator",
        "json-schema-2020-12",
        "#/components/schemas/UsageEvent/required",
        lambda s: s["components"]["schemas"]["UsageEvent"].update({"required": "id"}),
    ),
    Defect(
        "unknown-type",
        "validator",
        "json-schema-2020-12",
        "#/components/schemas/UsageEvent/properties/id/type",
        lambda s: _props(s, "UsageEvent")["id"].update({"type": "text"}),
    ),
    Defect(
        "inline-schema-bad-type",
        "validator",
        "json-schema-2020-12",
        "#/paths/~1v1~1usage~1plan/get/responses/200/content/application~1json/schema/properties/plan/type",
        _inline_schema_bad_type,
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "info-without-title",
        "validator",
        "oas3.1-schema",
        "#/info",
        lambda s: s["info"].pop("title"),
    ),
    Defect(
        "unknown-operation-field",
        "validator",
        "oas3.1-schema",
        "#/paths/~1v1~1usage~1plan/get",
        lambda s: _op(s).update({"operationID": "x"}),
        operation="GET /v1/usage/plan",
    ),
    # spectral: .spectral.yaml (our rules and spectral:oas)
    Defect(
        "operation-without-429",
        "spectral",
        "scopix-operation-429",
        "#/paths/~1v1~1usage~1plan/get",
        lambda s: _op(s)["responses"].pop("429"),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "operation-without-responses",
        "spectral",
        "scopix-operation-429",
        "#/paths/~1v1~1usage~1plan/get",
        lambda s: _op(s).pop("responses"),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "operation-without-summary",
        "spectral",
        "scopix-operation-basics",
        "#/paths/~1v1~1usage~1plan/get",
        lambda s: _op(s).pop("summary"),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "operation-without-tags",
        "spectral",
        "scopix-operation-basics",
        "#/paths/~1v1~1usage~1plan/get",
        lambda s: _op(s).pop("tags"),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "operation-without-description",
        "spectral",
        "operation-description",
        "#/paths/~1v1~1usage~1plan/get",
        lambda s: _op(s).pop("description"),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "duplicate-operation-id",
        "spectral",
        "operation-operationId-unique",
        "#/paths/~1v1~1usage~1plan/get/operationId",
        _duplicate_operation_id,
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "undeclared-tag",
        "spectral",
        "operation-tag-defined",
        "#/paths/~1v1~1usage~1plan/get/tags/0",
        lambda s: _op(s).update({"tags": ["billing"]}),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "parameter-without-description",
        "spectral",
        "oas3-parameter-description",
        "#/paths/~1v1~1usage~1plan/get/parameters/0",
        lambda s: _param(s, PLAN, "period").pop("description"),
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "path-parameter-not-in-path",
        "spectral",
        "path-params",
        "#/paths/~1v1~1usage~1plan/get/parameters",
        _path_parameter_not_in_path,
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "path-with-trailing-slash",
        "spectral",
        "path-keys-no-trailing-slash",
        "#/paths/~1v1~1usage~1plan~1",
        lambda s: s["paths"].update({"/v1/usage/plan/": s["paths"].pop(PLAN)}),
    ),
    Defect(
        "property-without-description",
        "spectral",
        "scopix-property-docs",
        "#/components/schemas/UsageEvent/properties/endpoint",
        lambda s: _props(s, "UsageEvent")["endpoint"].pop("description"),
    ),
    Defect(
        "property-without-examples",
        "spectral",
        "scopix-property-docs",
        "#/components/schemas/UsageEvent/properties/endpoint",
        lambda s: _props(s, "UsageEvent")["endpoint"].pop("examples"),
    ),
    Defect(
        "component-schema-without-description",
        "spectral",
        "scopix-schema-description",
        "#/components/schemas/UsageDetails",
        lambda s: s["components"]["schemas"]["UsageDetails"].pop("description"),
    ),
    Defect(
        "limit-without-maximum",
        "spectral",
        "scopix-page-param-bounds",
        "#/paths/~1v1~1usage~1top-endpoints/get/parameters",
        _limit_without_maximum,
        operation="GET /v1/usage/top-endpoints",
    ),
    Defect(
        "duplicate-enum-value",
        "spectral",
        "duplicated-entry-in-enum",
        "#/components/schemas/PlanPeriod/enum",
        lambda s: s["components"]["schemas"]["PlanPeriod"]["enum"].append("month"),
    ),
    Defect(
        "server-trailing-slash",
        "spectral",
        "oas3-server-trailing-slash",
        "#/servers/0/url",
        lambda s: s["servers"][0].update({"url": "https://api.scopix.ai/"}),
    ),
    Defect(
        "tag-without-description",
        "spectral",
        "tag-description",
        "#/tags/0",
        lambda s: s["tags"][0].pop("description"),
    ),
    Defect(
        "undefined-security-scheme",
        "spectral",
        "oas3-operation-security-defined",
        "#/paths/~1v1~1usage~1plan/get/security/0",
        lambda s: _op(s).update({"security": [{"OAuth": []}]}),
        operation="GET /v1/usage/plan",
    ),
    # redocly: the recommended ruleset
    Defect(
        "unused-component",
        "redocly",
        "no-unused-components",
        "#/components/schemas/Orphan",
        lambda s: s["components"]["schemas"].update(
            {"Orphan": {"type": "string", "description": "Never used."}}
        ),
    ),
    Defect(
        "unresolvable-ref",
        "redocly",
        "no-unresolved-refs",
        "#/paths/~1v1~1usage~1plan/get/responses/200/content/application~1json/schema",
        lambda s: _op(s)["responses"]["200"]["content"]["application/json"].update(
            {"schema": {"$ref": "#/components/schemas/Nope"}}
        ),
        operation="GET /v1/usage/plan",
    ),
    # examples: every example against its schema
    Defect(
        "example-not-matching-schema",
        "examples",
        "example-matches-schema",
        "#/components/schemas/UsageEvent/properties/status_code",
        lambda s: _props(s, "UsageEvent")["status_code"].update({"examples": ["ok"]}),
    ),
    Defect(
        "bad-date-time-example",
        "examples",
        "example-matches-schema",
        "#/components/schemas/UsageEvent/properties/timestamp",
        lambda s: _props(s, "UsageEvent")["timestamp"].update({"examples": ["2026-11-20 14:03"]}),
    ),
    Defect(
        "media-type-example-mismatch",
        "examples",
        "example-matches-schema",
        "#/paths/~1v1~1usage~1plan/get/responses/200/content/application~1json/schema",
        _media_example_mismatch,
        operation="GET /v1/usage/plan",
    ),
    Defect(
        "parameter-example-out-of-range",
        "examples",
        "example-matches-schema",
        "#/paths/~1v1~1usage~1check/get/parameters/1/schema",
        lambda s: _param(s, CHECK, "item_count").update({"example": 0}),
        operation="GET /v1/usage/check",
    ),
]
