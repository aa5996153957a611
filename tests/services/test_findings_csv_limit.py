"""A security tool's CSV report is read as a stream up to the report limit (1 GB), not the 256 MiB a register's
CSV may have."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.errors import WorkbenchError
from workbench.services.importers import readers
from workbench.services.importers.findings import read_report
from workbench.services.importers.findings import report as report_module

RUN = Path(__file__).parents[1] / "fixtures" / "findings" / "prowler_run_2025-01.csv"


def test_a_text_file_over_the_callers_limit_is_refused_naming_it(tmp_path: Path) -> None:
    big = tmp_path / "register.csv"
    big.write_text("Control ID,Title\n" + "C-1,A control\n" * 200, encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"register\.csv : the text file is larger than 0 MiB; split it"):
        readers.open_workbook(big, text_limit=1024)
    readers.open_workbook(big).close()  # the register limit (256 MiB) lets it through


def test_a_report_csv_gets_the_report_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    assert report_module.MAX_REPORT_BYTES == 1024**3 > readers.MAX_CSV_BYTES
    findings = list(read_report(RUN).findings)
    assert findings
    monkeypatch.setattr(report_module, "MAX_REPORT_BYTES", 1024)  # the limit the CSV reader is given is the report's
    with pytest.raises(WorkbenchError, match="larger than 0 MiB"):
        list(read_report(RUN).findings)
