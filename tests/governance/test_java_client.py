"""The Java client's build inputs (clients/java): the templateDir that templates.py derives from
the pinned openapi-generator, and the jars `make clients` compiles against and installs. The
client itself is generated, compiled and run through the conformance suite by `make clients`."""

from __future__ import annotations

import importlib.util
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
JAVA = ROOT / "clients" / "java"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("java_templates", JAVA / "templates.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


templates = _load()


def test_templates_leave_out_jsr310_and_register_our_module(tmp_path: Path) -> None:
    written = templates.write(tmp_path / "templates")
    names = sorted(str(p.relative_to(tmp_path / "templates")) for p in written)
    assert names == [
        "RFC3339JavaTimeModule.mustache",
        "libraries/native/ApiClient.mustache",
        "libraries/native/JSON.mustache",
    ]
    for path in written:
        assert "jsr310" not in path.read_text(encoding="utf-8").replace(
            "no jackson-datatype-jsr310", ""
        ), path
    json_template = (tmp_path / "templates/libraries/native/JSON.mustache").read_text("utf-8")
    assert ".addModule(new RFC3339JavaTimeModule())" in json_template
    client = (tmp_path / "templates/libraries/native/ApiClient.mustache").read_text("utf-8")
    assert "mapper.registerModule(new RFC3339JavaTimeModule());" in client
    # Everything else is the generator's own template, line for line.
    with zipfile.ZipFile(templates.JAR) as jar:
        original = jar.read("Java/libraries/native/ApiClient.mustache").decode("utf-8")
    dropped = set(original.splitlines()) - set(client.splitlines())
    assert dropped == {
        "import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;",
        "    mapper.registerModule(new JavaTimeModule());",
    }


def test_a_changed_generator_template_is_named() -> None:
    name = "Java/libraries/native/JSON.mustache"
    with pytest.raises(templates.TemplateChanged, match=r"JSON\.mustache: expected .* 0 times"):
        templates.edited(name, "package {{invokerPackage}};\n")


def _make_variable(name: str) -> str:
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(rf"^{name} := (.*)$", text, re.MULTILINE)
    assert match, name
    return match.group(1)


def test_every_jar_on_the_classpath_has_its_debian_package() -> None:
    classpath = _make_variable("JAVA_CP").split(":")
    packages = dict(pair.split("=") for pair in _make_variable("JAVA_DEBS").split())
    assert sorted(Path(jar).name for jar in classpath) == sorted(packages)
    assert all(jar.startswith("/usr/share/java/") for jar in classpath)
    assert all(re.fullmatch(r"lib[a-z0-9.-]+-java", p) for p in packages.values()), packages
