"""The store's working days: the weekend and public holidays of its country, and its closures.

Everything comes from the ``holidays`` library: the weekend of the country (a store in
Israel works Sunday to Thursday), its public holidays (or the holiday categories the pack
names), shifted working days where a country has them, and working-day arithmetic. The
pack adds the days the store itself is closed. There is no "today" in here: callers pass
every date, so a decision never depends on when a process started.

Holiday years are filled in on first use, under a lock, so one calendar can be shared by
every thread of a ``Policy``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, timedelta

import holidays as _holidays

__all__ = ["StoreCalendar", "calendar_problem"]


def calendar_problem(country: str, subdivision: str = "", categories: Iterable[str] = ()) -> str:
    """What is wrong with a calendar's settings, in words; "" when ``holidays`` has it."""
    supported = _holidays.list_supported_countries()
    if country not in supported:
        return f"there is no public-holiday calendar for the country '{country}'"
    if subdivision and subdivision not in supported[country]:
        return f"'{subdivision}' is not a subdivision of {country} with a holiday calendar"
    wanted = tuple(categories)
    if wanted:
        known = _holidays.country_holidays(country, years=[]).supported_categories
        unknown = [c for c in wanted if c not in known]
        if unknown:
            return (
                f"{country} has no holiday category '{unknown[0]}' "
                f"(it has {', '.join(sorted(known))})"
            )
    return ""


class StoreCalendar:
    """Business days of one store.

    Args:
        country: ISO 3166 country code with a ``holidays`` calendar (``US``).
        subdivision: a state or region code (``NY``), or "" for the whole country.
        categories: holiday categories to close on (default: the country's public ones).
        closed: extra days the store is closed (inventory day, a local event).

    Raises:
        ValueError: ``holidays`` has no such calendar (see ``calendar_problem``).
    """

    def __init__(
        self,
        country: str,
        subdivision: str = "",
        categories: Iterable[str] = (),
        closed: Iterable[date] = (),
    ) -> None:
        problem = calendar_problem(country, subdivision, categories)
        if problem:
            raise ValueError(problem)
        chosen = tuple(categories) or None
        self._days = _holidays.country_holidays(
            country, subdiv=subdivision or None, categories=chosen, years=[]
        )
        self.closed = frozenset(closed)
        self._days.update(dict.fromkeys(self.closed, "store closed"))
        self.weekend = frozenset(self._days.weekend)
        """Weekdays (0 = Monday) the store does not work."""
        self._years: set[int] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<StoreCalendar weekend={sorted(self.weekend)} closed={len(self.closed)}>"

    def _fill(self, *years: int) -> None:
        """Let the library compute these years' holidays, once, under the lock."""
        missing = [y for y in years if y not in self._years]
        if not missing:
            return
        with self._lock:
            for year in missing:
                if year not in self._years:
                    _ = date(year, 1, 1) in self._days  # a lookup makes the library fill it
                    self._years.add(year)

    def is_holiday(self, day: date) -> bool:
        """A public holiday (of the chosen categories) or a day the store is closed."""
        self._fill(day.year)
        return day in self._days

    def is_business_day(self, day: date) -> bool:
        """A day the store works: not a weekend day (unless the country shifted work to
        it), not a holiday, not a closure."""
        self._fill(day.year)
        return bool(self._days.is_working_day(day))

    def add_business_days(self, start: date, days: int) -> date:
        """The date ``days`` business days after ``start`` (start itself not counted;
        before it when ``days`` is negative)."""
        if days == 0:
            return start
        self._fill(start.year - 1, start.year, start.year + 1)
        found: date = self._days.get_nth_working_day(start, days)
        return found

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after ``start`` up to and including ``end`` (negative backwards)."""
        if end == start:
            return 0
        low, high = (start, end) if start < end else (end, start)
        self._fill(*range(low.year, high.year + 1))
        count = int(self._days.get_working_days_count(low + timedelta(days=1), high))
        return count if start < end else -count
