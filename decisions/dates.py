"""Dates as people type them into the list page's date fields, read into a date.

Caseworkers in England write 31/3/2020 or 31 March 2020; bookmarks, feeds and the API
write 2020-03-31. All three (and their near relations: 31.3.2020, 31-03-2020, 31st
March 2020, Mar 31, 2020, 2020/03/31) are read here. Numbers alone are read day first,
as in the UK. A text that is not a real date gets a message that says why, in the
GOV.UK manner: what is wrong with it and what to type instead.
https://design-system.service.gov.uk/components/date-input/#error-messages

Pure: text in, a date (or DateNotUnderstood) out; no Django.
"""

from __future__ import annotations

import calendar
import datetime
import re

EXAMPLES = "31/3/2020, 31 March 2020 or 2020-03-31"
# A decision date is neither before the Ombudsman nor centuries ahead: a year outside
# these is a slip of the keyboard (1020, 2202), better said than searched.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2099
LONGEST = 40  # characters; anything longer is not a date

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
# Between the parts: spaces, slashes, dashes, dots, commas; "st", "nd", "rd", "th"
# after a day, and "of" before a month ("31st of March").
ALLOWED = re.compile(r"[0-9a-z\s/.,-]+", re.ASCII)
PART = re.compile(r"\d+|[a-z]+", re.ASCII)


class DateNotUnderstood(ValueError):
    """The text is not a date; its message says why, for the person who typed it."""


def parse_date(text: str) -> datetime.date:
    """The date `text` stands for; DateNotUnderstood with a plain message otherwise."""
    typed = " ".join(text.split())
    if not typed:
        raise DateNotUnderstood(f"Enter a date, for example {EXAMPLES}.")
    lowered = typed.lower()
    if len(typed) > LONGEST or not ALLOWED.fullmatch(lowered):
        raise DateNotUnderstood(f"Enter a date such as {EXAMPLES}.")
    day, month, year = day_month_year(parts_of(lowered))
    return real_date(typed, day, month, year)


def parts_of(lowered: str) -> list[str]:
    """The numbers and words of a date, without ordinals' endings or an "of"."""
    without_ordinals = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", lowered, flags=re.ASCII)
    return [part for part in PART.findall(without_ordinals) if part != "of"]


def day_month_year(parts: list[str]) -> tuple[str, str, str]:
    """The day, month and year among three parts, in whichever order they were typed."""
    if len(parts) != 3:
        raise DateNotUnderstood(f"Enter a day, a month and a year, for example {EXAMPLES}.")
    first, second, third = parts
    if all(part.isdigit() for part in parts):
        if len(first) == 4:  # 2020-03-31, 2020/3/31
            return third, second, first
        return first, second, third  # day first, as in the UK
    if first.isdigit() and third.isdigit():  # 31 March 2020
        return first, second, third
    if second.isdigit() and third.isdigit():  # March 31, 2020
        return second, first, third
    raise DateNotUnderstood(f"Enter a date such as {EXAMPLES}.")


def real_date(typed: str, day: str, month: str, year: str) -> datetime.date:
    """The date of these parts, or the reason it is not one."""
    month_number = month_of(typed, month)
    if len(year) != 4:
        raise DateNotUnderstood("Enter the year in full, with 4 digits, for example 2020.")
    year_number = int(year)
    if not EARLIEST_YEAR <= year_number <= LATEST_YEAR:
        raise DateNotUnderstood(f"Enter a year from {EARLIEST_YEAR} to {LATEST_YEAR}.")
    days = calendar.monthrange(year_number, month_number)[1]
    day_number = int(day)
    if not 1 <= day_number <= days:
        month_name = MONTH_NAMES[month_number - 1].capitalize()
        raise DateNotUnderstood(
            f"{typed} is not a real date: {month_name} {year_number} has {days} days."
        )
    return datetime.date(year_number, month_number, day_number)


def month_of(typed: str, month: str) -> int:
    """The number of a month given as a number or a name ("3", "03", "Mar", "March")."""
    if month.isdigit():
        number = int(month)
        if len(month) <= 2 and 1 <= number <= 12:
            return number
        raise DateNotUnderstood(f"{typed} is not a real date: a month is from 1 to 12.")
    if month in MONTHS:
        return MONTHS[month]
    raise DateNotUnderstood(
        f"“{month.capitalize()}” is not a month: enter a date such as {EXAMPLES}."
    )
