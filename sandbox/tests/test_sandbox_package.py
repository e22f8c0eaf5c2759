"""The package's shape: every module says what it offers (`__all__`), the root names the API."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import scopix_sandbox

MODULES = [
    importlib.import_module(m.name)
    for m in pkgutil.walk_packages(scopix_sandbox.__path__, "scopix_sandbox.")
]


def test_every_module_lists_what_it_defines_in_all() -> None:
    problems = []
    for module in MODULES:
        names = getattr(module, "__all__", None)
        if names is None:
            problems.append(f"{module.__name__}: no __all__")
            continue
        problems += [
            f"{module.__name__}.{n}: listed, missing" for n in names if not hasattr(module, n)
        ]
        defined = [
            name
            for name, obj in vars(module).items()
            if not name.startswith("_")
            and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == module.__name__
        ]
        problems += [
            f"{module.__name__}.{n}: defined, not listed" for n in defined if n not in names
        ]
    assert problems == []


def test_the_root_is_the_public_api() -> None:
    assert sorted(scopix_sandbox.__all__) == [
        "FaultConfig",
        "Sandbox",
        "SandboxOptions",
        "run_sandbox",
        "start",
    ]
    for name in scopix_sandbox.__all__:
        assert getattr(scopix_sandbox, name).__module__.startswith("scopix_sandbox.")
    assert (
        scopix_sandbox.__version__ == importlib.import_module("scopix_sandbox._version").__version__
    )
