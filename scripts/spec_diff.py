"""What changed between two OpenAPI 3.1 documents, operation by operation, and whether it breaks
callers. Pure: two parsed documents in, a list of `Change` out (scripts/spec_breaking.py prints
them and decides the version).

Every operation is compared with its `$ref`s resolved, so a change to a shared parameter or
schema is reported at each operation where it reaches callers, named by the parameter's name
and the property's path (`events[].operation_type`). The direction decides: what a client
sends (parameters) may accept more, never less; what it receives (responses) may promise more,
never less. The rules follow oasdiff's and openapi-diff's:

- breaking: a removed path, operation, parameter, success response, media type, response
  property or header; a new required parameter or one made required; a request value no longer
  accepted (a type, an enum value, an enum closed, a tighter bound, pattern or format); a
  parameter's default changed or removed (callers that omit it get other answers); a response
  that can hold more than before (a new type such as null, a value added to a closed enum, an
  open enum, a looser bound, another format); a response property no longer required; a changed
  operationId (the SDKs' method names derive from it); a new security requirement.
- not breaking: additions (operations, optional parameters, response properties, error
  responses), request values accepted more widely, responses narrowed (null removed, an open
  enum closed, a required property), changed servers, descriptions and examples.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = Any
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BOUNDS_UP_TIGHTENS = ("minimum", "exclusiveMinimum", "minLength", "minItems")
BOUNDS_DOWN_TIGHTENS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
ALL_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})


@dataclass(frozen=True)
class Change:
    breaking: bool
    where: str
    """`GET /v1/usage/details`, or `servers` / `components` for what no operation holds."""
    rule: str
    message: str

    @property
    def impact(self) -> str:
        if self.breaking:
            return "major"
        return "minor" if self.rule.endswith("-added") else "patch"


class _Doc:
    def __init__(self, raw: JSON) -> None:
        self.raw = raw if isinstance(raw, dict) else {}

    def deref(self, node: JSON) -> JSON:
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            ref = node["$ref"]
            target: JSON = self.raw
            for part in ref.removeprefix("#/").split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            if target is None:
                raise ValueError(f"unresolvable $ref {ref}")
            # Siblings of a 3.1 $ref (description, examples) annotate; the target defines.
            node = target
        raise ValueError("$ref cycle")

    def operations(self) -> dict[tuple[str, str], tuple[JSON, JSON]]:
        """(path, method) -> (path item, operation)."""
        out = {}
        for path, item in (self.raw.get("paths") or {}).items():
            item = self.deref(item)
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    out[(path, method)] = (item, item[method])
        return out

    def parameters(self, item: JSON, op: JSON) -> dict[tuple[str, str], JSON]:
        params = {}
        for p in [*item.get("parameters", []), *op.get("parameters", [])]:
            p = self.deref(p)
            params[(str(p.get("in")), str(p.get("name")))] = p
        return params

    def security(self, op: JSON) -> list[JSON]:
        sec = op.get("security", self.raw.get("security", []))
        return sec if isinstance(sec, list) else []


@dataclass
class _Shape:
    """A schema normalised for comparison: accepted types, enum (None: any value), bounds."""

    types: frozenset[str] = ALL_TYPES
    enum: frozenset[Any] | None = None
    bounds: dict[str, Any] = field(default_factory=dict)
    format: str | None = None
    pattern: str | None = None
    default: Any = None
    has_default: bool = False
    properties: dict[str, JSON] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: JSON = None


def _freeze(value: Any) -> Any:
    return repr(value) if isinstance(value, dict | list) else value


def _shape(doc: _Doc, schema: JSON, depth: int = 0) -> _Shape:
    schema = doc.deref(schema)
    if not isinstance(schema, dict) or depth > 32:
        return _Shape()
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(alternatives, list) and alternatives:
        shapes = [_shape(doc, a, depth + 1) for a in alternatives]
        out = _Shape(types=frozenset().union(*(s.types for s in shapes)))
        non_null = [s for s in shapes if s.types != {"null"}]
        # An enum next to a plain string is open (any value); nullability lives in `types`.
        if non_null and all(s.enum is not None for s in non_null):
            out.enum = frozenset().union(*(s.enum or frozenset() for s in non_null))
        if len(non_null) == 1:  # `X or null`: X's details hold
            only = non_null[0]
            out.bounds, out.format, out.pattern = only.bounds, only.format, only.pattern
            out.properties, out.required, out.items = only.properties, only.required, only.items
        else:
            for s in shapes:
                out.properties = {**s.properties, **out.properties}
                out.items = out.items if out.items is not None else s.items
        out.has_default, out.default = "default" in schema, schema.get("default")
        return out
    kind = schema.get("type")
    types = frozenset([kind] if isinstance(kind, str) else kind or ALL_TYPES)
    enum = schema.get("enum")
    if "const" in schema:
        enum = [schema["const"]]
    out = _Shape(
        types=types,
        enum=frozenset(_freeze(v) for v in enum) if isinstance(enum, list) else None,
        bounds={k: schema[k] for k in (*BOUNDS_UP_TIGHTENS, *BOUNDS_DOWN_TIGHTENS) if k in schema},
        format=schema.get("format"),
        pattern=schema.get("pattern"),
        default=schema.get("default"),
        has_default="default" in schema,
        properties=dict(schema.get("properties") or {}),
        required=frozenset(schema.get("required") or ()),
        items=schema.get("items"),
    )
    for part in schema.get("allOf") or []:
        extra = _shape(doc, part, depth + 1)
        out.properties = {**out.properties, **extra.properties}
        out.required |= extra.required
    return out


def _child(label: str, name: str) -> str:
    """`response 200` + `events` -> `response 200 events`; then `events[]`, `events[].id`."""
    if name == "[]":
        return f"{label}[]"
    head, _, tail = label.rpartition(" ")
    if tail.startswith("`") or not head or not tail or tail[0].isdigit():
        return f"{label} {name}"  # after `parameter `x`` or `response 200`
    return f"{label}.{name}"


def _accepts(types: frozenset[str], kind: str) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def _fmt(values: frozenset[Any] | None) -> str:
    return ", ".join(sorted(repr(v) for v in values)) if values else "none"


@dataclass
class _Differ:
    old: _Doc
    new: _Doc
    changes: list[Change] = field(default_factory=list)

    def add(self, breaking: bool, where: str, rule: str, message: str) -> None:
        change = Change(breaking, where, rule, message)
        if change not in self.changes:
            self.changes.append(change)

    # -- schemas ---------------------------------------------------------------------------

    def schema(
        self, old: JSON, new: JSON, *, sending: bool, where: str, label: str, depth: int = 0
    ) -> None:
        """`sending`: the client sends these values (a request); else it receives them.

        `label` names what is compared: `query parameter `limit``, `response 200 events[].id`.
        """
        if depth > 32:
            return
        a, b = _shape(self.old, old, depth), _shape(self.new, new, depth)
        if sending:  # the server must still accept all it accepted
            lost = sorted(t for t in a.types if not _accepts(b.types, t))
            if lost:
                self.add(
                    True,
                    where,
                    "request-type-narrowed",
                    f"{label}: {', '.join(lost)} no longer accepted",
                )
            elif a.types != b.types:
                self.add(
                    False,
                    where,
                    "request-type-widened",
                    f"{label}: {', '.join(sorted(b.types - a.types))} accepted too",
                )
        else:  # the client must understand all it may get
            gained = sorted(t for t in b.types if not _accepts(a.types, t))
            if gained:
                self.add(
                    True, where, "response-type-widened", f"{label}: may now be {', '.join(gained)}"
                )
            elif a.types != b.types:
                self.add(
                    False,
                    where,
                    "response-type-narrowed",
                    f"{label}: no longer {', '.join(sorted(a.types - b.types))}",
                )
        self._enum(a, b, sending=sending, where=where, label=label)
        self._bounds(a, b, sending=sending, where=where, label=label)
        for key, before, after in (
            ("format", a.format, b.format),
            ("pattern", a.pattern, b.pattern),
        ):
            if before != after:
                # A new or changed constraint breaks senders; dropping one breaks receivers.
                breaking = after is not None if sending else before is not None
                self.add(breaking, where, f"{key}-changed", f"{label}: {key} {before} -> {after}")
        for name in sorted(a.properties.keys() | b.properties.keys()):
            sub = _child(label, name)
            if name not in b.properties:
                if not sending:
                    self.add(True, where, "response-property-removed", f"{sub}: removed")
                continue
            if name not in a.properties:
                if sending and name in b.required:
                    self.add(
                        True, where, "request-property-required-added", f"{sub}: added, required"
                    )
                elif not sending:
                    self.add(False, where, "response-property-added", f"{sub}: added")
                continue
            was, now = name in a.required, name in b.required
            if not sending and was and not now:
                self.add(
                    True, where, "response-property-became-optional", f"{sub}: no longer required"
                )
            if sending and now and not was:
                self.add(True, where, "request-property-became-required", f"{sub}: now required")
            self.schema(
                a.properties[name],
                b.properties[name],
                sending=sending,
                where=where,
                label=sub,
                depth=depth + 1,
            )
        if a.items is not None and b.items is not None:
            self.schema(
                a.items,
                b.items,
                sending=sending,
                where=where,
                label=_child(label, "[]"),
                depth=depth + 1,
            )

    def _enum(self, a: _Shape, b: _Shape, *, sending: bool, where: str, label: str) -> None:
        if a.enum == b.enum:
            return
        if sending:
            if b.enum is None:
                self.add(False, where, "request-enum-opened", f"{label}: any value accepted now")
            elif a.enum is None:
                self.add(
                    True, where, "request-enum-closed", f"{label}: only {_fmt(b.enum)} accepted now"
                )
            else:
                removed, added = a.enum - b.enum, b.enum - a.enum
                if removed:
                    self.add(
                        True,
                        where,
                        "request-enum-value-removed",
                        f"{label}: {_fmt(removed)} no longer accepted",
                    )
                if added:
                    self.add(
                        False,
                        where,
                        "request-enum-value-added",
                        f"{label}: {_fmt(added)} accepted too",
                    )
        elif a.enum is None:
            self.add(False, where, "response-enum-closed", f"{label}: now only {_fmt(b.enum)}")
        elif b.enum is None:
            self.add(
                True,
                where,
                "response-enum-opened",
                f"{label}: may now be any value, not only {_fmt(a.enum)}",
            )
        else:
            removed, added = a.enum - b.enum, b.enum - a.enum
            if added:
                self.add(
                    True,
                    where,
                    "response-enum-value-added",
                    f"{label}: may now be {_fmt(added)} (a closed enum)",
                )
            if removed:
                self.add(
                    False,
                    where,
                    "response-enum-value-removed",
                    f"{label}: no longer {_fmt(removed)}",
                )

    def _bounds(self, a: _Shape, b: _Shape, *, sending: bool, where: str, label: str) -> None:
        for key in (*BOUNDS_UP_TIGHTENS, *BOUNDS_DOWN_TIGHTENS):
            before, after = a.bounds.get(key), b.bounds.get(key)
            if before == after:
                continue
            if before is None or after is None:
                tighter = before is None
            else:
                tighter = after > before if key in BOUNDS_UP_TIGHTENS else after < before
            # Tighter breaks senders (the server refuses more); looser breaks receivers.
            self.add(
                tighter if sending else not tighter,
                where,
                "bound-changed",
                f"{label}: {key} {before} -> {after}",
            )

    # -- operations ------------------------------------------------------------------------

    def parameters(
        self, where: str, old: Mapping[tuple[str, str], JSON], new: Mapping[tuple[str, str], JSON]
    ) -> None:
        for key in old.keys() | new.keys():
            place, name = key
            label = f"{place} parameter `{name}`"
            if key not in new:
                self.add(True, where, "parameter-removed", f"{label}: removed")
                continue
            p_new = new[key]
            if key not in old:
                required = bool(p_new.get("required"))
                rule = "parameter-required-added" if required else "parameter-added"
                self.add(
                    required, where, rule, f"{label}: added{' (required)' if required else ''}"
                )
                continue
            p_old = old[key]
            was, now = bool(p_old.get("required")), bool(p_new.get("required"))
            if now and not was:
                self.add(True, where, "parameter-became-required", f"{label}: now required")
            elif was and not now:
                self.add(False, where, "parameter-became-optional", f"{label}: now optional")
            s_old, s_new = p_old.get("schema", {}), p_new.get("schema", {})
            self.schema(s_old, s_new, sending=True, where=where, label=label)
            d_old, d_new = _shape(self.old, s_old), _shape(self.new, s_new)
            if d_old.has_default and (not d_new.has_default or d_old.default != d_new.default):
                after = repr(d_new.default) if d_new.has_default else "none"
                self.add(
                    True,
                    where,
                    "parameter-default-changed",
                    f"{label}: default {d_old.default!r} -> {after}"
                    " (callers that omit it get other answers)",
                )
            elif d_new.has_default and not d_old.has_default:
                self.add(
                    False, where, "parameter-default-added", f"{label}: default {d_new.default!r}"
                )
            for attr in ("style", "explode"):
                if p_old.get(attr) != p_new.get(attr):
                    self.add(
                        True,
                        where,
                        "parameter-serialization-changed",
                        f"{label}: {attr} {p_old.get(attr)} -> {p_new.get(attr)}",
                    )

    def responses(self, where: str, old: JSON, new: JSON) -> None:
        old, new = old or {}, new or {}
        for status in old.keys() | new.keys():
            success = str(status).startswith("2")
            if status not in new:
                self.add(success, where, "response-removed", f"response {status}: removed")
                continue
            r_new = self.new.deref(new[status])
            if status not in old:
                self.add(False, where, "response-added", f"response {status}: added")
                continue
            r_old = self.old.deref(old[status])
            for name in (r_old.get("headers") or {}).keys() | (r_new.get("headers") or {}).keys():
                label = f"response {status} header {name}"
                if name not in (r_new.get("headers") or {}):
                    self.add(True, where, "response-header-removed", f"{label}: removed")
                elif name not in (r_old.get("headers") or {}):
                    self.add(False, where, "response-header-added", f"{label}: added")
                else:
                    h_old = self.old.deref(r_old["headers"][name]).get("schema", {})
                    h_new = self.new.deref(r_new["headers"][name]).get("schema", {})
                    self.schema(h_old, h_new, sending=False, where=where, label=label)
            c_old, c_new = r_old.get("content") or {}, r_new.get("content") or {}
            for media in c_old.keys() | c_new.keys():
                label = f"response {status}"
                if media not in c_new:
                    self.add(
                        success, where, "response-media-type-removed", f"{label}: {media} removed"
                    )
                elif media not in c_old:
                    self.add(False, where, "response-media-type-added", f"{label}: {media} added")
                else:
                    s_old, s_new = c_old[media].get("schema", {}), c_new[media].get("schema", {})
                    self.schema(s_old, s_new, sending=False, where=where, label=label)

    def operation(
        self, where: str, item_old: JSON, op_old: JSON, item_new: JSON, op_new: JSON
    ) -> None:
        if op_old.get("operationId") != op_new.get("operationId"):
            self.add(
                True,
                where,
                "operation-id-changed",
                f"operationId {op_old.get('operationId')} -> {op_new.get('operationId')}"
                " (the SDKs' method names come from it)",
            )
        self.parameters(
            where, self.old.parameters(item_old, op_old), self.new.parameters(item_new, op_new)
        )
        body_old, body_new = (
            self.old.deref(op_old.get("requestBody")),
            self.new.deref(op_new.get("requestBody")),
        )
        if body_old or body_new:
            self.request_body(where, body_old or {}, body_new or {})
        self.responses(where, op_old.get("responses"), op_new.get("responses"))
        sec_old, sec_new = self.old.security(op_old), self.new.security(op_new)
        if sec_new and not any(r in sec_new for r in sec_old):
            self.add(True, where, "security-changed", f"security {sec_old} -> {sec_new}")

    def request_body(self, where: str, old: JSON, new: JSON) -> None:
        if not old:
            self.add(bool(new.get("required")), where, "request-body-added", "request body added")
            return
        if not new:
            self.add(True, where, "request-body-removed", "request body removed")
            return
        if new.get("required") and not old.get("required"):
            self.add(True, where, "request-body-became-required", "request body now required")
        c_old, c_new = old.get("content") or {}, new.get("content") or {}
        for media in c_old.keys() | c_new.keys():
            if media not in c_new:
                self.add(True, where, "request-media-type-removed", f"request body {media} removed")
            elif media in c_old:
                self.schema(
                    c_old[media].get("schema", {}),
                    c_new[media].get("schema", {}),
                    sending=True,
                    where=where,
                    label="request body",
                )

    def run(self) -> list[Change]:
        ops_old, ops_new = self.old.operations(), self.new.operations()
        paths_new = {path for path, _ in ops_new}
        for key in sorted(ops_old.keys() | ops_new.keys()):
            path, method = key
            where = f"{method.upper()} {path}"
            if key not in ops_new:
                rule = "operation-removed" if path in paths_new else "path-removed"
                self.add(True, where, rule, "removed")
            elif key not in ops_old:
                self.add(False, where, "operation-added", "added")
            else:
                self.operation(where, *ops_old[key], *ops_new[key])
        if self.old.raw.get("servers") != self.new.raw.get("servers"):
            self.add(
                False,
                "servers",
                "servers-changed",
                "servers changed (clients choose their base URL)",
            )
        return self.changes


def diff(old: JSON, new: JSON) -> list[Change]:
    """Every change from `old` to `new`, breaking ones and the rest."""
    return _Differ(_Doc(old), _Doc(new)).run()


def breaking(changes: list[Change]) -> Iterator[Change]:
    return (c for c in changes if c.breaking)
