"""A count as a door shows it. Every count the search index gives is exact: `Tally`
keeps its `exact` flag only so that the API's `total_exact` and the templates that
print it stay as re-users and readers know them (docs/api-changelog.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    """A count of decisions."""

    value: int
    exact: bool = True

    @property
    def shown(self) -> str:
        """ "1,234"."""
        return f"{self.value:,}"

    def __bool__(self) -> bool:
        return self.value > 0
