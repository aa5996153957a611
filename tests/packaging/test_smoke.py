"""The bundle's smoke test (packaging/smoke.py) itself: its project, policy and document checks pass when run
against the program from the source tree, standing in for a bundle."""

from __future__ import annotations

import os
import sys

import pytest

from tests.packaging.tools import packaging_module

CHECKED = ("new + check + status", "policies add + publish", "export description (docx)")


@pytest.mark.skipif(os.name != "posix", reason="the stand-in bundle is a shell script")
def test_the_smoke_checks_pass_against_the_program(tmp_path):
    bundle, work = tmp_path / "bundle", tmp_path / "work"
    bundle.mkdir()
    work.mkdir()
    program = bundle / "workbench"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench "$@"\n')
    program.chmod(0o755)
    checks = dict(packaging_module("smoke").checks(bundle, work))
    results = [checks[name]() for name in CHECKED]
    assert results[1] == "information-security started from the bundled template, version 1 in force"
    assert results[2] == "description.docx: DC1-DC9, the unwritten sections warned of"
