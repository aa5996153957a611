"""The step pages, each built the first time it is asked for, so that start-up builds only what it shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pages (and the services they use) load when first shown
    from workbench.ui.pages.base import ProjectPage


class LazyPages(Mapping[str, "ProjectPage"]):
    """A read-only mapping of page name to page that builds a page on first access."""

    def __init__(self, names: Iterable[str], build: Callable[[str], ProjectPage]) -> None:
        self._names = tuple(names)
        self._build = build
        self._built: dict[str, ProjectPage] = {}

    def __getitem__(self, name: str) -> ProjectPage:
        if name not in self._names:
            raise KeyError(name)
        page = self._built.get(name)
        if page is None:
            page = self._built[name] = self._build(name)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def built(self) -> dict[str, ProjectPage]:
        """Return the pages built so far, by name, without building any."""
        return dict(self._built)
