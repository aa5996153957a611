"""The one part of the build pyproject.toml cannot state: the package list with the top-level resources/ folder
added as the package workbench._resources, so an installed wheel carries the catalog, templates, policies, icons,
fonts and help (workbench/paths.py looks there first). The source tree keeps resources/ where the PyInstaller spec,
the tests and an editable install read it."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["workbench", "workbench.*"]), "workbench._resources"])
