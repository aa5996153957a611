"""The program's identity on each platform, shared by the PyInstaller spec and the packaging tests.

Imported by packaging/soc2-workbench.spec (with this folder on sys.path); it needs only the standard library
and the `workbench` package.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workbench import APP_NAME, __version__

VERSION = __version__
APP_ID = "org.soc2workbench.Workbench"  # reverse-DNS: .desktop file id, AppStream id, macOS bundle identifier
DOCUMENT_UTI = "org.soc2workbench.project"  # macOS uniform type of a .soc2 project
MIME_TYPE = "application/x-soc2-workbench-project"
DOCUMENT_NAME = "SOC 2 Workbench Project"
EXTENSION = "soc2"
ICON_NAME = "soc2-workbench"  # resources/icons/app/<ICON_NAME>.svg, -<size>.png, .ico, .icns; the freedesktop icon
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
CLI_NAME = "workbench"  # the console program, in every bundle
GUI_NAME = "SOC2 Workbench"  # the windowed launcher of the Windows and macOS bundles
COPYRIGHT = "Copyright (c) the SOC 2 Workbench authors. All rights reserved."

PACKAGING_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGING_DIR.parent
ICONS_DIR = REPO_DIR / "resources" / "icons" / "app"


def version_numbers(version: str = __version__) -> tuple[int, int, int, int]:
    """Return the leading numbers of a version string as the four numbers Windows wants ("0.2.0rc1" -> 0,2,0,0)."""
    leading = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(part) for part in leading.group(0).split(".")] if leading else []
    a, b, c, d = (*numbers, 0, 0, 0, 0)[:4]
    return a, b, c, d


def windows_version_info(executable: str, version: str = __version__) -> str:
    """Return a Windows version resource for one executable, in the text form PyInstaller's EXE(version=) reads."""
    numbers = version_numbers(version)
    strings = {
        "CompanyName": "SOC 2 Workbench",
        "FileDescription": APP_NAME,
        "FileVersion": version,
        "InternalName": executable,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{executable}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    table = ",\n          ".join(f"StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [{table}])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0409, 1200])])
  ]
)
"""


def macos_info_plist(version: str = __version__) -> dict[str, Any]:
    """Return the Info.plist keys of the macOS app bundle beyond PyInstaller's own: the .soc2 document type."""
    icon_file = f"{ICON_NAME}.icns"
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "NSHumanReadableCopyright": COPYRIGHT,
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHighResolutionCapable": True,
        # The bundle also holds the console `workbench`, which would make PyInstaller mark the app background-only.
        "LSBackgroundOnly": False,
        "CFBundleDocumentTypes": [{
            "CFBundleTypeName": DOCUMENT_NAME,
            "CFBundleTypeRole": "Editor",
            "LSHandlerRank": "Owner",
            "LSItemContentTypes": [DOCUMENT_UTI],
            "CFBundleTypeIconFile": icon_file,
        }],
        "UTExportedTypeDeclarations": [{
            "UTTypeIdentifier": DOCUMENT_UTI,
            "UTTypeDescription": DOCUMENT_NAME,
            "UTTypeConformsTo": ["public.data", "public.database"],
            "UTTypeIconFile": icon_file,
            "UTTypeTagSpecification": {
                "public.filename-extension": [EXTENSION],
                "public.mime-type": [MIME_TYPE],
            },
        }],
    }
