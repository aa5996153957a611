"""The representation-letter and subsequent-events checklist: ticked, unticked, undone, refused, read back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workbench.domain.engagement_checks import CheckState
from workbench.domain.errors import ValidationError
from workbench.services import engagement
from workbench.services.session import OpenProject


def test_items_are_ticked_unticked_and_read_back(new_project: OpenProject, reopen: Any) -> None:
    items = engagement.engagement_checks(new_project)
    assert [item.group for item, _ in items][:1] == ["Representation letter"]
    assert all(not state.done for _, state in items) and len(items) == 11
    ticked = engagement.set_check(new_project, CheckState("rep-access", date(2026, 7, 20), "  Ana Lopez "))
    assert ticked.value == CheckState("rep-access", date(2026, 7, 20), "Ana Lopez")
    engagement.set_check(new_project, CheckState("sub-asked", date(2026, 7, 21), "Bo Chen"))
    untick = engagement.set_check(new_project, CheckState("sub-asked"))
    assert untick.inverse is not None
    with pytest.raises(ValidationError, match="unknown item: nonsense"):
        engagement.set_check(new_project, CheckState("nonsense", date(2026, 7, 1), "x"))
    with pytest.raises(ValidationError, match="say who ticked"):
        engagement.set_check(new_project, CheckState("rep-fraud", date(2026, 7, 1), " "))
    path = new_project.path
    new_project.close()
    with reopen(path) as again:
        states = {item.key: state for item, state in engagement.engagement_checks(again)}
        assert states["rep-access"] == CheckState("rep-access", date(2026, 7, 20), "Ana Lopez")
        assert not states["sub-asked"].done
        untick.inverse(again)  # undo of the untick: ticked again as it was
        assert {i.key: s for i, s in engagement.engagement_checks(again)}["sub-asked"].done_by == "Bo Chen"
