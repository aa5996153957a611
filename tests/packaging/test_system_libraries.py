"""The README's list of system libraries covers what Qt's X11 plugin links against, and .ci/run installs that list."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging.tools import REPO, require_tool

# Part of every system (zlib is essential to Debian), or shipped inside PySide6 itself: nothing to install.
_BASE = re.compile(r"^(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libz|ld-linux.*|libQt6\w+|libicu\w+)\.so")


def readme_packages() -> set[str]:
    """Return the packages of the README's `sudo apt-get install` command."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^sudo apt-get install ((?:.*\\\n)*.*)$", text, re.MULTILINE)
    assert match, "the README gives no `sudo apt-get install` command"
    return set(match.group(1).replace("\\\n", " ").split())


def ci_packages() -> set[str]:
    """Return the Debian packages .ci/run installs."""
    match = re.search(r'^packages="([^"]*)"', (REPO / ".ci" / "run").read_text(encoding="utf-8"), re.MULTILINE)
    assert match, ".ci/run has no packages= list"
    return set(match.group(1).split())


def test_ci_installs_every_package_the_readme_names() -> None:
    readme = readme_packages()
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libegl1"} <= readme
    assert readme - ci_packages() == set()


def _needed(library: Path, readelf: str) -> list[str]:
    dynamic = subprocess.run([readelf, "-d", str(library)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)


def test_every_library_the_x11_plugin_needs_comes_from_a_listed_package() -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        pytest.skip("this PySide6 has no X11 platform plugin (not Linux)")
    readelf = require_tool("readelf", "binutils")
    if shutil.which("dpkg") is None:
        pytest.skip("not a Debian system: dpkg cannot say which package holds a library")
    libraries = {name for lib in (plugin, qt / "lib" / "libQt6XcbQpa.so.6", qt / "lib" / "libQt6Gui.so.6",
                                  qt / "lib" / "libQt6DBus.so.6")
                 for name in _needed(lib, readelf) if not _BASE.match(name)}
    listed = readme_packages()
    found = subprocess.run(["dpkg", "-S", *(f"*/{name}" for name in sorted(libraries))], capture_output=True,
                           text=True).stdout
    holders: dict[str, set[str]] = {name: set() for name in libraries}
    for line in found.splitlines():
        packages, _, path = line.partition(": ")
        if Path(path).name in holders:
            holders[Path(path).name].update(p.split(":")[0] for p in packages.split(", "))
    unlisted = {name: ", ".join(sorted(packages)) or "no installed package"
                for name, packages in sorted(holders.items()) if not packages & listed}
    assert not unlisted, f"libraries the X11 plugin needs that the README does not list: {unlisted}"
