"""The Linux desktop integration: .desktop entry, shared-mime-info type and AppStream metainfo, with the real tools."""

from __future__ import annotations

import ast
import configparser
import os
import subprocess
import xml.etree.ElementTree as ET

import workbench
from tests.packaging.tools import LINUX, PACKAGING, REPO, packaging_module, require_tool

build_info = packaging_module("build_info")
DESKTOP = LINUX / f"{build_info.APP_ID}.desktop"
METAINFO = LINUX / f"{build_info.APP_ID}.metainfo.xml"
MIME_XML = LINUX / f"{build_info.APP_ID}.mime.xml"
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
SAMPLE = REPO / "sample_projects" / "brightpath-analytics.soc2"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _mime_type() -> ET.Element:
    root = ET.parse(MIME_XML).getroot()
    types = root.findall("m:mime-type", MIME_NS)
    assert len(types) == 1
    return types[0]


def test_the_desktop_file_is_valid():
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_the_metainfo_is_valid_without_warnings():
    tool = require_tool("appstreamcli", "appstream")
    result = subprocess.run([tool, "validate", "--no-net", "--strict", "--no-color", str(METAINFO)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_installed_files_validate_as_a_tree_and_register_the_type(tmp_path):
    appstreamcli = require_tool("appstreamcli", "appstream")
    update_mime = require_tool("update-mime-database", "shared-mime-info")
    prefix = tmp_path / "prefix"
    env = {key: value for key, value in os.environ.items() if key != "DESTDIR"}
    subprocess.run([str(LINUX / "install.sh"), "--prefix", str(prefix), "--no-bundle"], check=True,
                   capture_output=True, text=True, timeout=60, env=env)
    share = prefix / "share"
    result = subprocess.run([appstreamcli, "validate-tree", "--no-net", "--strict", "--no-color", str(prefix)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    subprocess.run([update_mime, str(share / "mime")], check=True, capture_output=True, timeout=60)
    globs = (share / "mime" / "globs2").read_text(encoding="utf-8")
    assert f"{build_info.MIME_TYPE}:*.soc2" in globs
    assert (share / "icons" / "hicolor" / "16x16" / "apps" / f"{build_info.ICON_NAME}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{build_info.ICON_NAME}.svg").is_file()


def test_the_mime_type_declares_soc2_files_and_matches_a_real_project():
    mime = _mime_type()
    assert mime.get("type") == build_info.MIME_TYPE
    assert [g.get("pattern") for g in mime.findall("m:glob", MIME_NS)] == ["*.soc2"]
    assert mime.find("m:sub-class-of", MIME_NS).get("type") == "application/vnd.sqlite3"
    assert mime.find("m:icon", MIME_NS).get("name") == build_info.ICON_NAME
    outer = mime.find("m:magic/m:match", MIME_NS)
    inner = outer.find("m:match", MIME_NS)
    header = SAMPLE.read_bytes()[:100]
    for match in (outer, inner):
        value = match.get("value").replace("\\0", "\0").encode("latin-1")
        offset = int(match.get("offset"))
        assert header[offset:offset + len(value)] == value, match.attrib


def test_the_desktop_entry_opens_projects_with_the_icon_and_type_of_the_other_files():
    entry = _desktop_entry()
    assert entry["Exec"] == f"{build_info.CLI_NAME} gui %f"
    assert entry["MimeType"].rstrip(";").split(";") == [_mime_type().get("type")]
    assert entry["Icon"] == build_info.ICON_NAME
    assert "Office" in entry["Categories"].split(";")
    assert (REPO / "resources" / "icons" / "app" / f"{entry['Icon']}.svg").is_file()
    for size in build_info.ICON_SIZES:
        assert (REPO / "resources" / "icons" / "app" / f"{entry['Icon']}-{size}.png").is_file()


def test_the_window_names_the_installed_desktop_file():
    tree = ast.parse((REPO / "workbench" / "app.py").read_text(encoding="utf-8"))
    values = {node.targets[0].id: node.value.value for node in tree.body
              if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
              and isinstance(node.value, ast.Constant)}
    assert values["DESKTOP_FILE_ID"] == build_info.APP_ID == DESKTOP.stem


def test_the_metainfo_describes_this_version_and_the_desktop_entry():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == build_info.APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "LicenseRef-proprietary"
    assert root.find("launchable").text == DESKTOP.name
    assert [m.text for m in root.findall("provides/mediatype")] == [build_info.MIME_TYPE]
    assert [b.text for b in root.findall("provides/binary")] == [build_info.CLI_NAME]
    newest = root.find("releases/release")
    assert newest.get("version") == workbench.__version__
    assert "AICPA" not in METAINFO.read_text(encoding="utf-8")


def test_the_install_script_is_executable():
    for script in (LINUX / "install.sh", PACKAGING / "build.sh"):
        assert os.access(script, os.X_OK), script
