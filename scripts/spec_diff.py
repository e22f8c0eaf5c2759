"""What changed between two OpenAPI 3.1 documents, operation by operation, and whether it breaks
callers. Pure: two parsed documents in, a list of `Change` out (scripts/spec_breaking.py prints
them and decides the version).

Every `Change` names the operation (`GET /v1/usage/details`), the location in it (`query
parameter `limit``, `response 200 events[].operation_type`, `operationId`), the rule and what
happened. Every operation is compared with its `$ref`s resolved, so a change to a shared
parameter or schema is reported at each operation where it reaches callers. Operations are
matched by method and path template, path parameter names aside (as oasdiff and openapi-diff do):
`/events/{event_id}` -> `/events/{id}` is the same URL, reported as a renamed parameter. The
direction decides: what a client sends (parameters) may accept more, never less; what it
receives (responses) may promise more, never less. The rules follow oasdiff's and openapi-diff's
(docs/breaking-rules.md maps them):

- breaking: a removed path, operation, parameter, success response, media type, response
  property or header; a new required parameter or one made required; a request value no longer
  accepted (a type, an enum value, an enum closed, a tighter bound, a new or changed pattern or
  format); a parameter's default changed or removed (callers that omit it get other answers); a
  response that can hold more than before (a new type such as null, a value added to a closed
  enum, an open enum, a looser bound, a changed or removed pattern or format); a response
  property or header no longer required; a changed operationId or first tag; a security
  requirement where there was none, or an accepted one no longer accepted (a request body: as
  parameters, with required properties and media types).
- not breaking: additions (operations, optional parameters, response properties, error
  responses), request values accepted more widely, responses narrowed (null removed, an open
  enum closed, a required property, a pattern added), a renamed path parameter, another security
  alternative (or none needed), changed servers, descriptions and examples.

Judgements of ours, stricter than oasdiff (which reports them as information only): a changed
operationId or first tag is breaking, because every generated SDK names its methods after the
one and groups them by the other (`client.usage.get_plan`, `UsageApi.getPlan`); a
changed or removed response `pattern` is breaking, because the Python SDK and openapi-generator's
python and go clients check patterns when they parse, and refuse a value only the new pattern
allows. Whether one pattern includes another is not decided, so a narrowed pattern counts too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from spec_refs import resolve

__all__ = ["Change", "breaking", "diff"]

JSON = Any
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BOUNDS_UP_TIGHTENS = ("minimum", "exclusiveMinimum", "minLength", "minItems")
BOUNDS_DOWN_TIGHTENS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems")
ALL_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
Key = tuple[str, str]  # (path, method)
PATH_PARAMETER = re.compile(r"\{([^{}/]+)\}")
# where the generated SDKs put an operation: its first tag's API class, a method named after it
SDK_NAMES = "Python client.{tag}.{op}, Go {Tag}API.{Op}, Java {Tag}Api.{op_}"
PATTERN_CHECKERS = (
    "the Python SDK and openapi-generator's python and go clients check it when parsing"
)


@dataclass(frozen=True)
class Change:
    breaking: bool
    where: str
    """The operation, `GET /v1/usage/details`; `servers` for what no operation holds."""
    location: str
    """What in it changed: `query parameter `limit``, `response 200 events[].id`, `operationId`."""
    rule: str
    detail: str
    """What happened there: `default 50 -> 20`."""

    @property
    def message(self) -> str:
        return f"{self.location}: {self.detail}"

    @property
    def impact(self) -> str:
        if self.breaking:
            return "major"
        return "minor" if self.rule.endswith("-added") else "patch"


def _template(path: str) -> str:
    """The path with its parameter names left out: `/events/{event_id}` -> `/events/{}`."""
    return PATH_PARAMETER.sub("{}", path)


def _camel(name: str, *, upper: bool) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    text = "".join(w[:1].upper() + w[1:] for w in words)
    return text if upper else text[:1].lower() + text[1:]


def _first_tag(op: JSON) -> str:
    tags = op.get("tags")
    return str(tags[0]) if isinstance(tags, list) and tags else "default"


def _sdk_names(op: JSON, operation_id: object = None, tag: str | None = None) -> str:
    """The generated SDKs' names of `op` (or of it with another operationId or tag)."""
    name = str(op.get("operationId") if operation_id is None else operation_id)
    tag = _first_tag(op) if tag is None else tag
    return SDK_NAMES.format(
        tag=tag,
        Tag=_camel(tag, upper=True),
        op=name,
        Op=_camel(name, upper=True),
        op_=_camel(name, upper=False),
    )


class _Doc:
    def __init__(self, raw: JSON) -> None:
        self.raw = raw if isinstance(raw, dict) else {}

    def deref(self, node: JSON) -> JSON:
        found: JSON = resolve(self.raw, node)  # a RefError (ValueError) when it names nothing
        return found

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


def _tighter(key: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return b if a is None else a
    return max(a, b) if key in BOUNDS_UP_TIGHTENS else min(a, b)


def _meet_types(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    both = a & b
    # An integer is a number: `number` and `integer` together accept integers.
    if ("integer" in a and "number" in b) or ("number" in a and "integer" in b):
        both |= {"integer"}
    return both


def _meet(out: _Shape, part: _Shape) -> None:
    """`out` and `part` both hold (an allOf): the values both accept."""
    out.types = _meet_types(out.types, part.types)
    if part.enum is not None:
        out.enum = part.enum if out.enum is None else out.enum & part.enum
    for key in {*out.bounds, *part.bounds}:
        out.bounds[key] = _tighter(key, out.bounds.get(key), part.bounds.get(key))
    out.format = out.format or part.format
    out.pattern = out.pattern or part.pattern
    if not out.has_default and part.has_default:
        out.has_default, out.default = True, part.default
    out.properties = {**part.properties, **out.properties}
    out.required |= part.required
    out.items = out.items if out.items is not None else part.items


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
    else:
        kind = schema.get("type")
        enum = schema.get("enum")
        if "const" in schema:
            enum = [schema["const"]]
        out = _Shape(
            types=frozenset([kind] if isinstance(kind, str) else kind or ALL_TYPES),
            enum=frozenset(_freeze(v) for v in enum) if isinstance(enum, list) else None,
            bounds={
                k: schema[k] for k in (*BOUNDS_UP_TIGHTENS, *BOUNDS_DOWN_TIGHTENS) if k in schema
            },
            format=schema.get("format"),
            pattern=schema.get("pattern"),
            default=schema.get("default"),
            has_default="default" in schema,
            properties=dict(schema.get("properties") or {}),
            required=frozenset(schema.get("required") or ()),
            items=schema.get("items"),
        )
    # allOf: every part holds, so `allOf: [{$ref: X}]` (a common way to annotate a $ref) is X.
    for part in schema.get("allOf") or []:
        _meet(out, _shape(doc, part, depth + 1))
    return out


def _child(label: str, name: str) -> str:
    """`response 200` + `events` -> `response 200 events`; then `events[]`, `events[].id`."""
    if name == "[]":
        return f"{label}[]"
    head, _, tail = label.rpartition(" ")
    if tail.startswith("`") or not head or tail[:1].isdigit() or label == "request body":
        return f"{label} {name}"  # after `parameter `x``, `response 200` or `request body`
    return f"{label}.{name}"


def _accepts(types: frozenset[str], kind: str) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def _fmt(values: frozenset[Any] | None) -> str:
    return ", ".join(sorted(repr(v) for v in values)) if values else "none"


def _requirements(security: list[JSON]) -> str:
    names = [" + ".join(sorted(r)) if isinstance(r, dict) and r else "none" for r in security]
    return " or ".join(names) if names else "none"


@dataclass
class _Differ:
    old: _Doc
    new: _Doc
    changes: list[Change] = field(default_factory=list)

    def add(self, breaking: bool, where: str, location: str, rule: str, detail: str) -> None:
        change = Change(breaking, where, location, rule, detail)
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
                detail = f"{', '.join(lost)} no longer accepted"
                self.add(True, where, label, "request-type-narrowed", detail)
            elif a.types != b.types:
                detail = f"{', '.join(sorted(b.types - a.types))} accepted too"
                self.add(False, where, label, "request-type-widened", detail)
        else:  # the client must understand all it may get
            gained = sorted(t for t in b.types if not _accepts(a.types, t))
            if gained:
                detail = f"may now be {', '.join(gained)}"
                self.add(True, where, label, "response-type-widened", detail)
            elif a.types != b.types:
                detail = f"no longer {', '.join(sorted(a.types - b.types))}"
                self.add(False, where, label, "response-type-narrowed", detail)
        self._enum(a, b, sending=sending, where=where, label=label)
        self._bounds(a, b, sending=sending, where=where, label=label)
        self._constraint("format", a.format, b.format, sending=sending, where=where, label=label)
        self._constraint("pattern", a.pattern, b.pattern, sending=sending, where=where, label=label)
        for name in sorted(a.properties.keys() | b.properties.keys()):
            sub = _child(label, name)
            if name not in b.properties:
                if not sending:
                    self.add(True, where, sub, "response-property-removed", "removed")
                continue
            if name not in a.properties:
                if sending and name in b.required:
                    rule = "request-property-required-added"
                    self.add(True, where, sub, rule, "added, required")
                elif not sending:
                    self.add(False, where, sub, "response-property-added", "added")
                continue
            was, now = name in a.required, name in b.required
            if not sending and was and not now:
                rule = "response-property-became-optional"
                self.add(True, where, sub, rule, "no longer required")
            if sending and now and not was:
                self.add(True, where, sub, "request-property-became-required", "now required")
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

    def _constraint(
        self,
        key: str,
        before: str | None,
        after: str | None,
        *,
        sending: bool,
        where: str,
        label: str,
    ) -> None:
        """A `format` or `pattern`: a new or changed one breaks senders, a dropped one receivers."""
        if before == after:
            return
        side = "request" if sending else "response"
        what = "added" if before is None else "removed" if after is None else "changed"
        rule = f"{side}-{key}-{what}"
        detail = f"{key} {before} -> {after}"
        if sending:
            breaking = after is not None
            if breaking:
                detail += " (values the old one allowed may be refused)"
        else:
            breaking = before is not None
            if breaking and key == "pattern":
                detail += (
                    f" (values only the new pattern allows are refused where {PATTERN_CHECKERS};"
                    " pattern inclusion is not decided, so a narrowing counts too)"
                )
            elif breaking:
                detail += " (clients parse the old format)"
        self.add(breaking, where, label, rule, detail)

    def _enum(self, a: _Shape, b: _Shape, *, sending: bool, where: str, label: str) -> None:
        if a.enum == b.enum:
            return
        if sending:
            if b.enum is None:
                self.add(False, where, label, "request-enum-opened", "any value accepted now")
            elif a.enum is None:
                detail = f"only {_fmt(b.enum)} accepted now"
                self.add(True, where, label, "request-enum-closed", detail)
            else:
                removed, added = a.enum - b.enum, b.enum - a.enum
                if removed:
                    detail = f"{_fmt(removed)} no longer accepted"
                    self.add(True, where, label, "request-enum-value-removed", detail)
                if added:
                    detail = f"{_fmt(added)} accepted too"
                    self.add(False, where, label, "request-enum-value-added", detail)
        elif a.enum is None:
            self.add(False, where, label, "response-enum-closed", f"now only {_fmt(b.enum)}")
        elif b.enum is None:
            detail = f"may now be any value, not only {_fmt(a.enum)}"
            self.add(True, where, label, "response-enum-opened", detail)
        else:
            removed, added = a.enum - b.enum, b.enum - a.enum
            if added:
                detail = f"may now be {_fmt(added)} (a closed enum)"
                self.add(True, where, label, "response-enum-value-added", detail)
            if removed:
                detail = f"no longer {_fmt(removed)}"
                self.add(False, where, label, "response-enum-value-removed", detail)

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
                label,
                "bound-changed",
                f"{key} {before} -> {after}",
            )

    # -- operations ------------------------------------------------------------------------

    def parameters(
        self,
        where: str,
        old: Mapping[tuple[str, str], JSON],
        new: Mapping[tuple[str, str], JSON],
        renamed: Mapping[str, str],
    ) -> None:
        """`renamed`: path parameter names of `old` -> their names in `new` (same position)."""
        old = {
            ("path", renamed.get(n, n)) if p == "path" else (p, n): v for (p, n), v in old.items()
        }
        for old_name, new_name in sorted(renamed.items()):
            if old_name != new_name:
                detail = f"renamed to `{new_name}` (the same URL: it keeps its place in the path)"
                self.add(
                    False, where, f"path parameter `{old_name}`", "path-parameter-renamed", detail
                )
        for key in sorted(old.keys() | new.keys()):
            place, name = key
            label = f"{place} parameter `{name}`"
            if key not in new:
                self.add(True, where, label, "parameter-removed", "removed")
                continue
            p_new = new[key]
            if key not in old:
                required = bool(p_new.get("required"))
                rule = "parameter-required-added" if required else "parameter-added"
                self.add(required, where, label, rule, "added (required)" if required else "added")
                continue
            p_old = old[key]
            was, now = bool(p_old.get("required")), bool(p_new.get("required"))
            if now and not was:
                self.add(True, where, label, "parameter-became-required", "now required")
            elif was and not now:
                self.add(False, where, label, "parameter-became-optional", "now optional")
            s_old, s_new = p_old.get("schema", {}), p_new.get("schema", {})
            self.schema(s_old, s_new, sending=True, where=where, label=label)
            d_old, d_new = _shape(self.old, s_old), _shape(self.new, s_new)
            if d_old.has_default and (not d_new.has_default or d_old.default != d_new.default):
                after = repr(d_new.default) if d_new.has_default else "none"
                detail = (
                    f"default {d_old.default!r} -> {after} (callers that omit it get other answers)"
                )
                self.add(True, where, label, "parameter-default-changed", detail)
            elif d_new.has_default and not d_old.has_default:
                detail = f"default {d_new.default!r}"
                self.add(False, where, label, "parameter-default-added", detail)
            for attr in ("style", "explode"):
                if p_old.get(attr) != p_new.get(attr):
                    detail = f"{attr} {p_old.get(attr)} -> {p_new.get(attr)}"
                    self.add(True, where, label, "parameter-serialization-changed", detail)

    def responses(self, where: str, old: JSON, new: JSON) -> None:
        old, new = old or {}, new or {}
        for status in sorted(old.keys() | new.keys(), key=str):
            success = str(status).startswith("2")
            label = f"response {status}"
            if status not in new:
                self.add(success, where, label, "response-removed", "removed")
                continue
            r_new = self.new.deref(new[status])
            if status not in old:
                self.add(False, where, label, "response-added", "added")
                continue
            r_old = self.old.deref(old[status])
            h_old, h_new = r_old.get("headers") or {}, r_new.get("headers") or {}
            for name in sorted(h_old.keys() | h_new.keys()):
                header = f"response {status} header {name}"
                if name not in h_new:
                    self.add(True, where, header, "response-header-removed", "removed")
                elif name not in h_old:
                    self.add(False, where, header, "response-header-added", "added")
                else:
                    was, now = self.old.deref(h_old[name]), self.new.deref(h_new[name])
                    if was.get("required") and not now.get("required"):
                        rule = "response-header-became-optional"
                        self.add(True, where, header, rule, "no longer required")
                    schemas = was.get("schema", {}), now.get("schema", {})
                    self.schema(*schemas, sending=False, where=where, label=header)
            c_old, c_new = r_old.get("content") or {}, r_new.get("content") or {}
            for media in sorted(c_old.keys() | c_new.keys()):
                if media not in c_new:
                    rule = "response-media-type-removed"
                    self.add(success, where, label, rule, f"{media} removed")
                elif media not in c_old:
                    self.add(False, where, label, "response-media-type-added", f"{media} added")
                else:
                    s_old, s_new = c_old[media].get("schema", {}), c_new[media].get("schema", {})
                    self.schema(s_old, s_new, sending=False, where=where, label=label)

    def operation(
        self,
        where: str,
        old: tuple[JSON, JSON],
        new: tuple[JSON, JSON],
        renamed: Mapping[str, str],
    ) -> None:
        (item_old, op_old), (item_new, op_new) = old, new
        id_old, id_new = op_old.get("operationId"), op_new.get("operationId")
        if id_old != id_new:
            detail = (
                f"{id_old} -> {id_new} (every generated SDK names its method after it:"
                f" {_sdk_names(op_old)} are gone)"
            )
            self.add(True, where, "operationId", "operation-id-changed", detail)
        tag_old, tag_new = _first_tag(op_old), _first_tag(op_new)
        if tag_old != tag_new:
            detail = (
                f"first tag {tag_old} -> {tag_new} (the generated SDKs group methods by it:"
                f" {_sdk_names(op_old)} move to {_sdk_names(op_old, id_old, tag_new)})"
            )
            self.add(True, where, "tags", "operation-tag-changed", detail)
        self.parameters(
            where,
            self.old.parameters(item_old, op_old),
            self.new.parameters(item_new, op_new),
            renamed,
        )
        body_old = self.old.deref(op_old.get("requestBody"))
        body_new = self.new.deref(op_new.get("requestBody"))
        if body_old or body_new:
            self.request_body(where, body_old or {}, body_new or {})
        self.responses(where, op_old.get("responses"), op_new.get("responses"))
        self.security(where, self.old.security(op_old), self.new.security(op_new))

    def security(self, where: str, old: list[JSON], new: list[JSON]) -> None:
        """Requirements are alternatives: a caller meets one of them (none: no auth at all)."""
        if not new:  # no requirement left: every caller is let in
            if old:
                detail = f"none required now (was {_requirements(old)})"
                self.add(False, where, "security", "security-requirement-removed", detail)
            return
        removed = [r for r in old if r not in new] if old else []
        added = [r for r in new if r not in old]
        if removed or not old:
            detail = (
                f"{_requirements(removed) if old else 'no authentication'} no longer accepted"
                f" (requires {_requirements(new)}; callers with those credentials are refused)"
            )
            self.add(True, where, "security", "security-changed", detail)
        elif added:
            detail = f"{_requirements(added)} accepted too"
            self.add(False, where, "security", "security-requirement-added", detail)

    def request_body(self, where: str, old: JSON, new: JSON) -> None:
        label = "request body"
        if not old:
            required = bool(new.get("required"))
            detail = "added (required)" if required else "added"
            self.add(required, where, label, "request-body-added", detail)
            return
        if not new:
            self.add(True, where, label, "request-body-removed", "removed")
            return
        if new.get("required") and not old.get("required"):
            self.add(True, where, label, "request-body-became-required", "now required")
        c_old, c_new = old.get("content") or {}, new.get("content") or {}
        for media in sorted(c_old.keys() | c_new.keys()):
            if media not in c_new:
                self.add(True, where, label, "request-media-type-removed", f"{media} removed")
            elif media not in c_old:
                self.add(False, where, label, "request-media-type-added", f"{media} added")
            else:
                self.schema(
                    c_old[media].get("schema", {}),
                    c_new[media].get("schema", {}),
                    sending=True,
                    where=where,
                    label=label,
                )

    def run(self) -> list[Change]:
        ops_old, ops_new = self.old.operations(), self.new.operations()
        templates_new = {_template(path) for path, _ in ops_new}
        for old_key, new_key in _match(ops_old, ops_new):
            if old_key is not None and new_key is not None:
                names = zip(
                    PATH_PARAMETER.findall(old_key[0]),
                    PATH_PARAMETER.findall(new_key[0]),
                    strict=True,
                )
                where = f"{new_key[1].upper()} {new_key[0]}"
                self.operation(where, ops_old[old_key], ops_new[new_key], dict(names))
            elif old_key is not None:
                self.removed(old_key, ops_old[old_key][1], templates_new)
            elif new_key is not None:
                path, method = new_key
                self.add(False, f"{method.upper()} {path}", "operation", "operation-added", "added")
        if self.old.raw.get("servers") != self.new.raw.get("servers"):
            detail = "changed (clients choose their base URL)"
            self.add(False, "servers", "servers", "servers-changed", detail)
        return self.changes

    def removed(self, key: Key, op: JSON, templates_new: set[str]) -> None:
        path, method = key
        where = f"{method.upper()} {path}"
        op_id = op.get("operationId")
        gone = f" ({_sdk_names(op)} are gone)" if op_id else ""
        if _template(path) in templates_new:
            self.add(True, where, "operation", "operation-removed", f"removed{gone}")
        else:
            detail = f"{path} removed, and with it {method.upper()}{gone}"
            self.add(True, where, "path", "path-removed", detail)


def _match(
    old: Mapping[Key, object], new: Mapping[Key, object]
) -> list[tuple[Key | None, Key | None]]:
    """(old, new) operation pairs, None for no match: by path and method, else by path template
    and method when one operation on each side has it (a renamed path parameter)."""
    rest_old = [k for k in old if k not in new]
    rest_new = [k for k in new if k not in old]

    def by_template(keys: list[Key]) -> dict[Key, list[Key]]:
        out: dict[Key, list[Key]] = {}
        for path, method in keys:
            out.setdefault((_template(path), method), []).append((path, method))
        return out

    t_old, t_new = by_template(rest_old), by_template(rest_new)
    renamed = {
        olds[0]: t_new[t][0]
        for t, olds in t_old.items()
        if len(olds) == 1 and len(t_new.get(t, [])) == 1
    }
    pairs: list[tuple[Key | None, Key | None]] = []
    for key in sorted(old.keys() | new.keys()):
        if key in old and key in new:
            pairs.append((key, key))
        elif key in renamed:
            pairs.append((key, renamed[key]))
        elif key in old:
            pairs.append((key, None))
        elif key not in renamed.values():
            pairs.append((None, key))
    return pairs


def diff(old: JSON, new: JSON) -> list[Change]:
    """Every change from `old` to `new`, breaking ones and the rest."""
    return _Differ(_Doc(old), _Doc(new)).run()


def breaking(changes: list[Change]) -> Iterator[Change]:
    return (c for c in changes if c.breaking)
