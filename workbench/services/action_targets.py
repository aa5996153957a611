"""Where the window fixes what a next action asks: a page by name and, on it, a tab.

The registers' actions lead to the page that holds the register (the Registers page's tab for the kind, the Policies
page), not to the step of the road they count for; every other action leads to its step's page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActionTarget:
    """A page by the window's name for it ("registers") and a tab on it by key ("risks"; "" for the page itself)."""

    page: str
    tab: str = ""


RISKS = ActionTarget("registers", "risks")
VENDORS = ActionTarget("registers", "vendors")
VENDOR_REPORTS = ActionTarget("registers", "vendor-reports")
PEOPLE = ActionTarget("registers", "people")
POLICIES = ActionTarget("policies")
ACKNOWLEDGEMENTS = ActionTarget("policies", "acknowledgements")
