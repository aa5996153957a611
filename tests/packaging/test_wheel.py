"""`pip install .` gives a working program: the wheel carries resources/ as workbench/_resources, and a program
run from the unpacked wheel finds its catalog, control templates and policies there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.packaging.tools import REPO

BUILD_LIMIT_S = 60
OFFLINE = ("could not find a version", "no matching distribution", "network is unreachable", "connection",
           "temporary failure in name resolution")
SOURCES = ("pyproject.toml", "setup.py", "README.md", "workbench", "resources")
NOT_SHIPPED = ("help/make_screenshots.py",)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the source tree (pip would leave build/ in the repository otherwise)."""
    root = tmp_path_factory.mktemp("wheel")
    source, out = root / "source", root / "out"
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    try:
        built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                               capture_output=True, text=True, timeout=BUILD_LIMIT_S)
    except subprocess.TimeoutExpired:
        pytest.skip(f"building the wheel took over {BUILD_LIMIT_S} s")
    if built.returncode != 0:
        if any(sign in built.stderr.lower() for sign in OFFLINE):
            pytest.skip("the wheel's build requirements cannot be fetched (offline)")
        pytest.fail(f"pip wheel failed:\n{built.stderr}")
    return next(out.glob("soc2_workbench-*.whl"))


def _shipped(wheel: Path) -> set[str]:
    prefix = "workbench/_resources/"
    with zipfile.ZipFile(wheel) as archive:
        return {name.removeprefix(prefix) for name in archive.namelist() if name.startswith(prefix)}


def test_the_wheel_carries_every_resource(wheel):
    expected = {path.relative_to(REPO / "resources").as_posix() for path in (REPO / "resources").rglob("*")
                if path.is_file() and "__pycache__" not in path.parts}
    shipped = _shipped(wheel)
    assert {"tsc/tsc-2017.json", "templates/controls.json", "help/guide.md", "fonts/DejaVuSans.ttf",
            "icons/app/soc2-workbench.svg", "sampling/sample-tables.json"} <= shipped
    assert any(name.startswith("policies/") and name.endswith(".md") for name in shipped)
    assert shipped == expected - set(NOT_SHIPPED)


def _workbench(unpacked: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(unpacked), "WORKBENCH_DATA_DIR": str(cwd / "data")}
    env.pop("WORKBENCH_RESOURCES", None)
    return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_program_installed_from_the_wheel_finds_its_resources(wheel, tmp_path):
    unpacked = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    located = subprocess.run([sys.executable, "-c", "import workbench.paths as p; print(p.resources_dir())"],
                             env={**os.environ, "PYTHONPATH": str(unpacked)}, capture_output=True, text=True,
                             cwd=tmp_path, check=True)
    assert Path(located.stdout.strip()) == unpacked / "workbench" / "_resources"
    catalog = _workbench(unpacked, tmp_path, "catalog", "--json")
    assert catalog.returncode == 0, catalog.stderr
    assert len(json.loads(catalog.stdout)) == 61
    created = _workbench(unpacked, tmp_path, "new", "acme.soc2", "--org", "Acme Ltd")
    assert created.returncode == 0 and (tmp_path / "acme.soc2").is_file(), created.stderr
    templates = _workbench(unpacked, tmp_path, "templates", "--json")
    assert templates.returncode == 0 and json.loads(templates.stdout), templates.stderr
    policies = _workbench(unpacked, tmp_path, "policies", "add", "acme.soc2", "information-security")
    assert policies.returncode == 0, policies.stderr
