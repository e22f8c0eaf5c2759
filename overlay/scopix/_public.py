"""Public names report the module users import them from: a traceback says
`scopix.InvalidParameterError`, not `scopix._errors.InvalidParameterError` (as httpx does).

Pickle finds a class by `__module__` and `__qualname__`, so a name is moved only where that
pair leads back to it. `typing.get_type_hints` evaluates a class's string annotations in the
namespace of its `__module__`, so they are evaluated where they were written before the move.
Names from a public module (the generated `scopix_api.models.*`) keep theirs.
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Iterable, Mapping

__all__ = ["publish"]


def _private(module: str) -> bool:
    return any(part.startswith("_") for part in module.split("."))


def _resolve_annotations(cls: type) -> None:
    own = inspect.get_annotations(cls)
    if not any(isinstance(value, str) for value in own.values()):
        return
    namespace = vars(sys.modules[cls.__module__])
    try:
        resolved = typing.get_type_hints(cls, globalns=dict(namespace), include_extras=True)
    except Exception:
        return  # names imported only for type checkers: nothing to keep working
    cls.__annotations__ = {name: resolved.get(name, value) for name, value in own.items()}


def publish(module: str, names: Iterable[str], namespace: Mapping[str, object]) -> None:
    """Give each class and function of `names` defined in a private module `module` as its
    `__module__`; call at the end of a public `__init__`: `publish(__name__, __all__, globals())`.
    """
    for name in names:
        obj = namespace[name]
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue  # constants and typing aliases have no module of their own to report
        if _private(obj.__module__) and namespace.get(obj.__qualname__) is obj:
            if inspect.isclass(obj):
                _resolve_annotations(obj)
            obj.__module__ = module
