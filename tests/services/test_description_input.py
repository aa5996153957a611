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
