"""Redis URLs for Sentinel and Cluster, parsed without connecting (pure: no I/O, no redis import).

redis-py's `from_url` knows `redis://`, `rediss://` and `unix://`. These add:

    redis+sentinel://[user:password@]host:port[,host:port...]/service_name[/db][?option=value...]
    redis+cluster://[user:password@]host:port[,host:port...][?option=value...]

and `rediss+...` for TLS. A bad URL raises `InvalidParameterError` (a `ValueError`) naming the
parameter and the accepted forms, with any password left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

from ._errors import InvalidParameterError

__all__ = [
    "FORMS",
    "PLAIN_SCHEMES",
    "SCHEMES",
    "TopologyURL",
    "parse_topology_url",
    "redact",
]

PLAIN_SCHEMES = ("redis", "rediss", "unix")  # redis-py's own
TOPOLOGY_SCHEMES = ("redis+sentinel", "rediss+sentinel", "redis+cluster", "rediss+cluster")
SCHEMES = PLAIN_SCHEMES + TOPOLOGY_SCHEMES
FORMS = (
    "redis://, rediss://, unix://, "
    "redis+sentinel://[user:password@]host:port[,host:port...]/service_name[/db] or "
    "redis+cluster://[user:password@]host:port[,host:port...] (rediss+... for TLS)"
)
DEFAULT_PORTS = {"sentinel": 26379, "cluster": 6379}


def _seconds(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a number of seconds > 0, got {text!r}")
    return value


def _count(name: str, text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {text!r}")
    return int(text)


def _cert_reqs(name: str, text: str) -> str:
    if text not in ("none", "optional", "required"):
        raise ValueError(f"{name} must be 'none', 'optional' or 'required', got {text!r}")
    return text


def _flag(name: str, text: str) -> bool:
    words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    if text.lower() not in words:
        raise ValueError(f"{name} must be true or false, got {text!r}")
    return words[text.lower()]


def _text(name: str, text: str) -> str:
    if not text:
        raise ValueError(f"{name} must not be empty")
    return text


# query option -> how its value is read; where it goes is decided in `_split_options`
_COMMON: dict[str, Callable[[str, str], object]] = {
    "socket_timeout": _seconds,
    "socket_connect_timeout": _seconds,
    "max_connections": _count,
}
_TLS: dict[str, Callable[[str, str], object]] = {
    "ssl_ca_certs": _text,
    "ssl_certfile": _text,
    "ssl_keyfile": _text,
    "ssl_cert_reqs": _cert_reqs,
    "ssl_check_hostname": _flag,
}
_SENTINEL: dict[str, Callable[[str, str], object]] = {
    "sentinel_username": _text,
    "sentinel_password": _text,
    "sentinel_socket_timeout": _seconds,
    "sentinel_ssl": _flag,
}


@dataclass(frozen=True)
class TopologyURL:
    """What a Sentinel or Cluster URL says. `client` holds the keyword arguments for the master's
    (Sentinel) or every node's (Cluster) connections; `sentinel` those for the sentinels' own."""

    kind: str  # "sentinel" or "cluster"
    nodes: tuple[tuple[str, int], ...]
    service_name: str = ""
    client: Mapping[str, object] = field(default_factory=dict, repr=False)  # may hold a password
    sentinel: Mapping[str, object] = field(default_factory=dict, repr=False)

    def arguments(
        self, defaults: Mapping[str, object]
    ) -> tuple[dict[str, object], dict[str, object]]:
        """The client's and the sentinels' keyword arguments over `defaults` (the timeouts every
        URL gets): what the URL says wins, as in redis-py's `from_url`."""
        client = {**defaults, **self.client}
        sockets = {name: value for name, value in defaults.items() if name.startswith("socket_")}
        return client, {**sockets, **self.sentinel}


def redact(url: str) -> str:
    """`url` with whatever could be a password masked: from the first `:` after `://` to the
    last `@` (a password may hold an unencoded `/`, `?` or `#`; masking too much is harmless)."""
    start = url.find("://") + 3
    colon, at = url.find(":", start), url.rfind("@")
    if start < 3 or colon < 0 or at < colon:
        return url
    return f"{url[: colon + 1]}***{url[at:]}"


def _error(url: str, problem: str) -> InvalidParameterError:
    return InvalidParameterError("redis", f"Redis URL must be {FORMS}; {redact(url)!r}: {problem}")


def _nodes(hosts: str, kind: str) -> tuple[tuple[str, int], ...]:
    nodes = []
    for number, part in enumerate(hosts.split(","), 1):
        found = re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^\[\]:,]+)(?::(\d{1,5}))?", part)
        if found is None:  # not echoed: a mangled password may have landed here
            raise ValueError(f"node {number} is not host[:port]")
        host = found.group(1).strip("[]")
        port = int(found.group(2)) if found.group(2) else DEFAULT_PORTS[kind]
        if not 0 < port < 65536:
            raise ValueError(f"port {port} is not between 1 and 65535")
        nodes.append((host, port))
    return tuple(nodes)


def _query(query: str, allowed: dict[str, Callable[[str, str], object]]) -> dict[str, object]:
    options: dict[str, object] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ValueError("the query must be name=value[&name=value...]") from None
    for name, text in pairs:
        if name not in allowed:
            names = ", ".join(sorted(allowed))
            raise ValueError(f"unknown option {name!r} (accepted: {names})")
        if name in options:
            raise ValueError(f"option {name!r} given twice")
        options[name] = allowed[name](name, text)
    return options


def _split_options(
    kind: str, tls: bool, options: dict[str, object]
) -> tuple[dict[str, object], ...]:
    """The client's connection arguments and the sentinels' (sentinel_* options, and otherwise
    the client's socket timeouts and TLS, not its credentials)."""
    ssl = {name: options.pop(name) for name in list(options) if name in _TLS}
    if tls:
        ssl["ssl"] = True
    client = {**options, **ssl}
    for name in _SENTINEL:
        client.pop(name, None)
    if kind != "sentinel":
        return client, {}
    sentinel: dict[str, object] = {
        name: value for name, value in options.items() if name.startswith("socket_")
    }
    if options.get("sentinel_ssl", tls):
        sentinel.update(ssl, ssl=True)
    for name in ("username", "password", "socket_timeout"):
        if f"sentinel_{name}" in options:
            sentinel[name] = options[f"sentinel_{name}"]
    return client, sentinel


def parse_topology_url(url: str) -> TopologyURL | None:
    """A Sentinel or Cluster URL's parts; None for redis-py's own schemes (redis://, rediss://,
    unix://), which `redis.from_url` reads. Raises `InvalidParameterError` for anything else."""
    if not isinstance(url, str):
        raise InvalidParameterError("redis", f"a Redis URL must be a str, got {type(url).__name__}")
    scheme, sep, _rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in SCHEMES:
        raise _error(url, f"unknown scheme {scheme + sep!r}" if sep else "no scheme")
    if scheme in PLAIN_SCHEMES:
        return None
    kind = scheme.partition("+")[2]
    try:
        return _parse(url, kind, tls=scheme.startswith("rediss"))
    except ValueError as exc:
        raise _error(url, str(exc)) from None


def _parse(url: str, kind: str, *, tls: bool) -> TopologyURL:
    rest = url.partition("://")[2]
    cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    head, tail = rest[:cut], rest[cut:]
    if "@" in tail:  # what follows is not echoed: it may be the end of a password
        raise ValueError("an @ after ? or #: percent-encode the password's ?, # and @")
    query, _, fragment = (
        tail.removeprefix("?").partition("#") if tail[:1] == "?" else ("", "", tail)
    )
    if fragment:
        raise ValueError("a URL fragment (#...) means nothing here")
    userinfo, _, hostpath = head.rpartition("@")  # the last @: a password may hold one
    hosts, _, path_text = hostpath.partition("/")
    if not hosts:
        raise ValueError("no host:port given")
    nodes = _nodes(hosts, kind)
    allowed = {**_COMMON, **_TLS, **(_SENTINEL if kind == "sentinel" else {})}
    options = _query(query, allowed)
    client, sentinel = _split_options(kind, tls, options)
    if userinfo:
        user, has_password, password = userinfo.partition(":")
        if user:
            client["username"] = unquote(user)
        if has_password:
            client["password"] = unquote(password)
    path = [unquote(p) for p in path_text.split("/")] if path_text else []
    if kind == "cluster":
        if any(path):
            raise ValueError("a cluster URL has no path (a cluster has only db 0)")
        return TopologyURL(kind, nodes, client=client)
    if not path or not path[0]:
        raise ValueError("the service name is missing (redis+sentinel://host:port/service_name)")
    if len(path) > 2 or (len(path) == 2 and not path[1].isdigit()):
        raise ValueError("the path must be /service_name or /service_name/db (db a number)")
    if len(path) == 2:
        client["db"] = int(path[1])
    return TopologyURL(kind, nodes, path[0], client=client, sentinel=sentinel)
