"""Public names report a public module: a traceback, a repr and the reference name
`scopix.InvalidParameterError`, not `scopix._errors.InvalidParameterError`; pickles name that
module, so they load wherever scopix does; type hints still resolve."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
import subprocess
import sys
import typing
from types import ModuleType

import pytest

import scopix
import scopix.types


def public_modules() -> list[str]:
    names = ["scopix"]
    for info in pkgutil.walk_packages(scopix.__path__, "scopix."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def imported(name: str) -> ModuleType:
    """The module. The test venv has every extra (`.[dev]`), so a module that fails to import
    fails here: a skip would hide a public module nobody checked."""
    return importlib.import_module(name)


def exported(module: ModuleType) -> list[tuple[str, object]]:
    return [
        (name, obj)
        for name in getattr(module, "__all__", ())
        if inspect.isclass(obj := getattr(module, name)) or inspect.isfunction(obj)
    ]


def is_public(module_name: str) -> bool:
    return not any(part.startswith("_") for part in module_name.split("."))


@pytest.mark.parametrize("name", public_modules())
def test_every_exported_name_reports_a_public_module(name: str) -> None:
    module = imported(name)
    wrong = []
    for attr, obj in exported(module):
        home = obj.__module__
        found: object = importlib.import_module(home)
        for part in obj.__qualname__.split("."):  # type: ignore[attr-defined]
            found = getattr(found, part, None)
        if not is_public(home) or found is not obj:
            wrong.append(f"{attr}: {home}.{obj.__qualname__}")  # type: ignore[attr-defined]
    assert wrong == []


def test_tracebacks_and_reprs_name_the_public_module() -> None:
    assert repr(scopix.InvalidParameterError) == "<class 'scopix.InvalidParameterError'>"
    assert repr(scopix.SyncScopix) == "<class 'scopix.SyncScopix'>"
    assert scopix.AsyncScopix is scopix.Scopix
    assert scopix.types.RawResponse.__module__ == "scopix"
    code = "import scopix; scopix.SyncScopix(api_key='scopix_x', max_retries=-1)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("scopix.InvalidParameterError: "), done.stderr


def test_pickles_name_the_public_module() -> None:
    info = scopix.RateLimitInfo(limit=30, remaining=3, reset=1.5)
    data = pickle.dumps(info, protocol=0)
    assert b"cscopix\nRateLimitInfo\n" in data
    assert pickle.loads(data) == info
    error = scopix.InvalidParameterError("limit", "limit must be 1 to 100")
    data = pickle.dumps(error, protocol=0)  # names its classes as "c<module>\n<qualname>\n"
    assert b"cscopix\nInvalidParameterError\n" in data
    copy = pickle.loads(data)
    assert type(copy) is scopix.InvalidParameterError
    assert (str(copy), copy.parameter) == ("limit must be 1 to 100", "limit")
    assert pickle.loads(pickle.dumps(scopix.NOT_GIVEN)) is not None


@pytest.mark.parametrize("name", public_modules())
def test_type_hints_still_resolve(name: str) -> None:
    # Evaluated where they were written, not in the module they now report. (The generated
    # models, which keep their own module, import some annotations for type checkers only.)
    module = imported(name)
    for _, obj in exported(module):
        if inspect.isclass(obj) and obj.__module__.startswith("scopix."):
            typing.get_type_hints(obj)
