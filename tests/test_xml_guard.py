"""openpyxl only refuses XML bombs when defusedxml is installed: the program insists on it."""

from __future__ import annotations


def test_openpyxl_reads_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_the_gui_checks_for_the_guard_at_start_up(monkeypatch):
    import importlib.util

    import pytest

    from workbench import app

    assert app.xml_is_guarded()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit, match="defusedxml"):
        app.make_application()
