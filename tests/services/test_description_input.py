"""How the command line names and reads a section of the system description: any spelling of a DC section or DC3
part, and a text file read as the scope page's editor would save it."""

from __future__ import annotations

import pytest

from workbench.domain.errors import ValidationError
from workbench.services.description import read_section_file, section_key


@pytest.mark.parametrize(("name", "key"), [
    ("dc1", "dc1"), ("DC9", "dc9"), ("DC 4", "dc4"), ("dc3.software", "dc3.software"), ("DC3 Software", "dc3.software"),
    ("dc3-data", "dc3.data"), ("DC 3 people", "dc3.people"), ("services", "dc1"), ("changes", "dc9"),
])
def test_a_section_is_named_any_way_a_user_writes_it(name, key):
    assert section_key(name) == key


@pytest.mark.parametrize("name", ["dc10", "dc3 hardware", "dc3.software.extra", "", "summary"])
def test_an_unknown_section_is_refused_listing_the_sections(name):
    with pytest.raises(ValidationError) as error:
        section_key(name)
    assert "dc3.infrastructure" in str(error.value)


def test_a_windows_text_file_is_read_with_plain_line_ends(tmp_path):
    source = tmp_path / "dc1.txt"
    source.write_bytes("\ufeffFirst line\r\nsecond line\rthird — 数据 🚀\r\n".encode())
    assert read_section_file(source) == "First line\nsecond line\nthird — 数据 🚀\n"


def test_text_with_a_control_character_is_refused_naming_the_file_line_and_character(tmp_path, new_project):
    from workbench.services.description import read_section, save_section

    source = tmp_path / "dc1.txt"
    source.write_bytes(b"We host on AWS.\n\nColour \x1b[31mred\x1b[0m.\n")
    with pytest.raises(ValidationError, match=r"dc1.txt : line 3 holds a control character \(U\+001B\)"):
        read_section_file(source)
    with pytest.raises(ValidationError, match=r"line 1 holds a control character \(U\+0007\)"):
        save_section(new_project, "dc1", "bell \x07 here")
    assert read_section(new_project, "dc1") == ""
    save_section(new_project, "dc1", "Tabs\tand\fform feeds are text.")
    assert read_section(new_project, "dc1") == "Tabs\tand\fform feeds are text."


def test_a_complementary_control_with_a_control_character_is_refused(new_project):
    from workbench.domain.entities import Csoc
    from workbench.domain.enums import SubserviceMethod
    from workbench.services import scope
    from workbench.services.description import add_csoc, update_csoc

    aws = scope.add_subservice(new_project, "AWS", "Hosting", SubserviceMethod.CARVE_OUT).value
    with pytest.raises(ValidationError, match=r"AWS : line 1 holds a control character \(U\+001B\)"):
        add_csoc(new_project, aws, "AWS \x1b[2J guards its data centres")
    first = add_csoc(new_project, aws, "AWS guards its data centres").value.csocs[0]
    with pytest.raises(ValidationError, match=r"U\+0007"):
        update_csoc(new_project, aws, Csoc(first.id, "bell \x07"))
    assert [c.text for c in scope.get_scope(new_project).subservices[0].csocs] == ["AWS guards its data centres"]
