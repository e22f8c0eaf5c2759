"""Sentinel and Cluster URLs read without a socket: the nodes, the service, the client's and the
sentinels' connection arguments over the default timeouts, and bad URLs refused with one message
that names the accepted forms and never the password."""

from __future__ import annotations

import pytest

from scopix import InvalidParameterError
from scopix._redis_urls import TopologyURL, parse_topology_url, redact

DEFAULTS = {"socket_timeout": 2.0, "socket_connect_timeout": 2.0}


def _parsed(url: str) -> TopologyURL:
    target = parse_topology_url(url)
    assert target is not None
    return target


@pytest.mark.parametrize("url", ["redis://h", "rediss://h:1/2", "unix:///tmp/r.sock", "REDIS://h"])
def test_redis_py_schemes_are_left_to_redis_py(url: str) -> None:
    assert parse_topology_url(url) is None


def test_a_sentinel_url_names_its_sentinels_service_and_db() -> None:
    target = _parsed("redis+sentinel://me:p%40ss@10.0.0.1:26380,[::1]:5,s3/scopix/3")
    assert (target.kind, target.service_name) == ("sentinel", "scopix")
    assert target.nodes == (("10.0.0.1", 26380), ("::1", 5), ("s3", 26379))
    client, sentinels = target.arguments(DEFAULTS)
    assert client == {**DEFAULTS, "username": "me", "password": "p@ss", "db": 3}
    # the sentinels get the timeouts, not the master's credentials
    assert sentinels == DEFAULTS


def test_the_urls_options_win_over_the_defaults_and_reach_the_sentinels() -> None:
    target = _parsed(
        "redis+sentinel://h:1/svc?socket_timeout=0.5&sentinel_password=sp&sentinel_username=su"
        "&sentinel_socket_timeout=0.25&max_connections=20"
    )
    client, sentinels = target.arguments(DEFAULTS)
    assert client == {"socket_timeout": 0.5, "socket_connect_timeout": 2.0, "max_connections": 20}
    assert sentinels == {
        "socket_timeout": 0.25, "socket_connect_timeout": 2.0, "username": "su", "password": "sp",
    }  # fmt: skip


def test_tls_reaches_the_master_and_the_sentinels_unless_told() -> None:
    target = _parsed("rediss+sentinel://h:1/svc?ssl_ca_certs=/ca.pem&ssl_cert_reqs=required")
    tls = {"ssl": True, "ssl_ca_certs": "/ca.pem", "ssl_cert_reqs": "required"}
    assert target.arguments({}) == (tls, tls)
    plain_sentinels = _parsed("rediss+sentinel://h:1/svc?sentinel_ssl=false")
    assert plain_sentinels.arguments({}) == ({"ssl": True}, {})


def test_a_cluster_url_names_its_startup_nodes() -> None:
    target = _parsed("rediss+cluster://:secret@n1:7000,n2?ssl_check_hostname=no")
    assert (target.kind, target.nodes) == ("cluster", (("n1", 7000), ("n2", 6379)))
    client, sentinels = target.arguments(DEFAULTS)
    assert client == {**DEFAULTS, "password": "secret", "ssl": True, "ssl_check_hostname": False}
    assert sentinels == DEFAULTS  # unused for a cluster


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("nonsense", "no scheme"),
        ("http://h", "unknown scheme 'http://'"),
        ("redis+sentinel://h:1", "the service name is missing"),
        ("redis+sentinel://h:1/", "the service name is missing"),
        ("redis+sentinel://h:1/svc/x", "the path must be /service_name or /service_name/db"),
        ("redis+sentinel://h:1/svc/0/1", "the path must be /service_name or /service_name/db"),
        ("redis+sentinel:///svc", "no host:port given"),
        ("redis+sentinel://h:1,/svc", "node 2 is not host[:port]"),
        ("redis+sentinel://h:port/svc", "node 1 is not host[:port]"),
        ("redis+sentinel://h:0/svc", "port 0 is not between 1 and 65535"),
        ("redis+cluster://h:1/2", "a cluster URL has no path"),
        ("redis+cluster://h:1?sentinel_password=x", "unknown option 'sentinel_password'"),
        ("redis+cluster://h:1?socket_timeout=0", "socket_timeout must be a number of seconds > 0"),
        ("redis+cluster://h:1?socket_timeout=inf", "socket_timeout must be a number of seconds"),
        ("redis+cluster://h:1?max_connections=-1", "max_connections must be a whole number"),
        ("redis+cluster://h:1?ssl_cert_reqs=maybe", "ssl_cert_reqs must be 'none', 'optional'"),
        (
            "redis+cluster://h:1?socket_timeout=1&socket_timeout=2",
            "option 'socket_timeout' given twice",
        ),
        ("redis+cluster://h:1?socket_timeout", "the query must be name=value[&name=value...]"),
        ("redis+cluster://h:1#frag", "a URL fragment"),
    ],
)
def test_a_bad_url_names_the_forms_and_the_problem(url: str, problem: str) -> None:
    with pytest.raises(InvalidParameterError) as refused:
        parse_topology_url(url)
    error = refused.value
    assert isinstance(error, ValueError)
    assert error.parameter == "redis"
    message = str(error)
    assert message.startswith("Redis URL must be redis://, rediss://, unix://, redis+sentinel://")
    assert "redis+cluster://[user:password@]host:port[,host:port...]" in message
    assert f"{url!r}: {problem}" in message


def test_an_option_list_names_what_is_accepted() -> None:
    accepted = r"accepted: max_connections, sentinel_password, "
    with pytest.raises(InvalidParameterError, match=accepted):
        parse_topology_url("redis+sentinel://h:1/svc?password=x")


def test_a_url_that_is_not_a_str_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="a Redis URL must be a str, got bytes"):
        parse_topology_url(b"redis://h")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "redis+sentinel://me:hunter2@h:x/svc",
        "redis+sentinel://:hunter2@h:1",
        "redis+cluster://me:hun%40ter2@h:1/0",
        "rediss+cluster://me:hunter2@@h:1/0",
        "redis+cluster://me:hunter2/x@h:1/0",  # a / in the password, unencoded
        "redis+cluster://me:hunter2#x@h:1",
        "redis+cluster://me:hunter2?x@h:1",
        "redis+cluster://me:123?hunter2=x@h:1",
        "redis+cluster://me:123?hunter2@h:1",
    ],
)
def test_no_message_or_repr_shows_the_password(url: str) -> None:
    with pytest.raises(InvalidParameterError) as refused:
        parse_topology_url(url)
    assert "hunter2" not in str(refused.value)
    assert "hun%40ter2" not in str(refused.value)
    assert "hunter2" not in repr(refused.value)


def test_a_parsed_urls_repr_leaves_out_the_arguments() -> None:
    target = _parsed("redis+sentinel://me:hunter2@h:1/svc?sentinel_password=hunter3")
    assert "hunter" not in repr(target)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://me:pw@h:1/0", "redis://me:***@h:1/0"),
        ("redis://:pw@h", "redis://:***@h"),
        ("redis://me@h", "redis://me@h"),
        ("redis://h:1/0?a=b", "redis://h:1/0?a=b"),
        ("redis://h:1/0?a=b@c", "redis://h:***@c"),  # too much masked, never too little
        ("redis://me:pa/ss#x@h", "redis://me:***@h"),
        ("redis+sentinel://u:p@w@h:1,h:2/s", "redis+sentinel://u:***@h:1,h:2/s"),
    ],
)
def test_redact_masks_only_the_password(url: str, shown: str) -> None:
    assert redact(url) == shown
