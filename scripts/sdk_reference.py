"""The SDK reference (`make docs`, site/sdk/): pdoc renders the public modules, with signatures,
types, cross-links and search, and no page loads anything from the network (math and mermaid,
pdoc's only CDN loads, stay off).

Public names are defined in private modules and re-labelled by `scopix._public.publish`, so pdoc
would evaluate their string annotations in the public module, where the names they use are
missing. Before rendering, each documented function's annotations are evaluated where it was
written (its module, and that module's `if TYPE_CHECKING:` imports); the models re-exported by
`scopix.types` are labelled with that module, so signatures link to the page that documents them.
This only touches the objects in the build's own process.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import sys
import typing
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pdoc
import pdoc.render

__all__ = ["MODULES", "build_sdk_reference", "documented_modules"]

# The public API; a module that is not there (yet) is left out, not an error.
MODULES = (
    "scopix",
    "scopix.types",
    "scopix.pacing",
    "scopix.credits",
    "scopix.usage_db",
    "scopix.observe",
    "scopix.otel",
    "scopix.prometheus",
    "scopix_sandbox",
)


def documented_modules() -> list[str]:
    return [name for name in MODULES if importlib.util.find_spec(name) is not None]


class _Shown:
    """An annotation pdoc prints as given (`Unpack[...]` prints as `*<class ...>` on 3.11)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _type_checking_names(module: ModuleType, cache: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The module's namespace with its `if TYPE_CHECKING:` imports done (all modules are loaded
    by now, so the cycles those blocks avoid cannot happen)."""
    if module.__name__ in cache:
        return cache[module.__name__]
    namespace = dict(vars(module))
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        tree = ast.Module(body=[], type_ignores=[])
    for node in tree.body:
        test = node.test if isinstance(node, ast.If) else None
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            assert isinstance(node, ast.If)
            block = ast.Module(body=node.body, type_ignores=[])
            exec(compile(block, module.__name__, "exec"), namespace)
    cache[module.__name__] = namespace
    return namespace


def _resolve(func: Callable[..., Any], cache: dict[str, dict[str, Any]]) -> None:
    target = inspect.unwrap(func)
    annotations = getattr(target, "__annotations__", None)
    module = sys.modules.get(getattr(target, "__globals__", {}).get("__name__", ""))
    if not annotations or module is None:
        return
    namespace = _type_checking_names(module, cache)
    for name, value in list(annotations.items()):
        if isinstance(value, str):
            try:
                value = eval(value, namespace)  # our own annotations, written in that module
            except Exception:
                continue  # left as written: pdoc prints the string
        if typing.get_origin(value) is typing.Unpack:
            (inner,) = typing.get_args(value)
            value = _Shown(f"Unpack[{inner.__module__}.{inner.__qualname__}]")
        annotations[name] = value


def _functions(obj: Any) -> Iterator[Callable[..., Any]]:
    if inspect.isfunction(obj):
        yield obj
    elif inspect.isclass(obj):
        for member in vars(obj).values():
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property) and member.fget is not None:
                member = member.fget
            if inspect.isfunction(member):
                yield member


def _defining_module(cls: type) -> ModuleType | None:
    """Where the class was written: its module, or the private one `publish` moved it from."""
    own = sys.modules.get(cls.__module__)
    top = cls.__module__.split(".")[0]
    candidates = [own] + [m for n, m in list(sys.modules.items()) if n.split(".")[0] == top]
    for module in candidates:
        if (
            module is not None
            and vars(module).get(cls.__qualname__) is cls
            and (module is own or any(p.startswith("_") for p in module.__name__.split(".")))
        ):
            return module
    return None


def _resolve_class_annotations(cls: type, cache: dict[str, dict[str, Any]]) -> None:
    own = inspect.get_annotations(cls)
    module = _defining_module(cls)
    if module is None or not any(isinstance(v, str) for v in own.values()):
        return
    namespace = _type_checking_names(module, cache)
    for name, value in own.items():
        if isinstance(value, str):
            try:
                own[name] = eval(value, namespace)  # our own annotations, written in that module
            except Exception:
                continue
    cls.__annotations__ = own


def _adopt_private_bases(cls: type, cache: dict[str, dict[str, Any]]) -> None:
    """An attribute a class gets from a private base (`client.usage`, declared by the generated
    mixin) is shown as the class's own, typed: pdoc lists inherited members only from documented
    classes, and would link `SyncScopix.usage` to nothing. Here, in the build's process only, it
    becomes a property of that type."""
    for base in cls.__mro__[1:]:
        module = sys.modules.get(base.__module__)
        if module is None or not any(p.startswith("_") for p in base.__module__.split(".")):
            continue
        namespace = _type_checking_names(module, cache)
        for name, value in inspect.get_annotations(base).items():
            if name.startswith("_") or name in vars(cls):
                continue
            kind = eval(value, namespace) if isinstance(value, str) else value

            def read(self: Any, name: str = name) -> Any:
                return vars(self)[name]

            read.__annotations__ = {"return": kind}
            summary = (inspect.getdoc(kind) or "").split("\n\n", 1)[0]
            read.__doc__ = summary
            setattr(cls, name, property(read))


def prepare(modules: list[str]) -> None:
    """Evaluate annotations where they were written; label `scopix.types`' models with it."""
    cache: dict[str, dict[str, Any]] = {}
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj):
                _resolve_class_annotations(obj, cache)
                _adopt_private_bases(obj, cache)
                if module_name == "scopix.types" and obj.__module__.startswith("scopix_api."):
                    obj.__module__ = "scopix.types"
            for func in _functions(obj):
                _resolve(func, cache)


def build_sdk_reference(out: Path) -> list[str]:
    """Render the reference into `out`; returns pdoc's warnings about types it could not read."""
    modules = documented_modules()
    prepare(modules)
    pdoc.render.configure(
        docformat="google",  # the generated models' "Attributes:" sections; Markdown otherwise
        search=True,
        show_source=False,
        math=False,
        mermaid=False,
        footer_text=f"scopix {importlib.import_module('scopix').__version__}",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdoc.pdoc(*modules, output_directory=out)
    # "Cannot determine where X is taken from": a field documented by its class, harmless.
    return sorted(
        {str(w.message) for w in caught if "Cannot determine where" not in str(w.message)}
    )
