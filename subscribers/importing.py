"""Subscribers from a CSV file (email,name,expires): every line accounted for.

Good rows are created; each bad one is reported with its line number and why; the
report says how many lines were read, created and refused, so nothing goes missing.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from episodes.models import Show

from .models import Subscriber

COLUMNS = ("email", "name", "expires")


@dataclass
class ImportReport:
    rows: int = 0
    blank: int = 0
    header: bool = False
    created: list[Subscriber] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.created)} created", f"{len(self.refused)} refused"]
        if self.header:
            parts.append("1 header")
        if self.blank:
            parts.append(f"{self.blank} blank")
        rows = f"{self.rows} row{'' if self.rows == 1 else 's'} read"
        return f"{rows}: " + ", ".join(parts) + "."


def import_csv(*, show: Show, text: str, now: dt.datetime | None = None) -> ImportReport:
    """Create the show's subscribers a CSV text lists; the report names each refused line."""
    report = ImportReport()
    seen: set[str] = set()
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            report.rows += 1
            cells = [cell.strip() for cell in row]
            if not any(cells):
                report.blank += 1
            elif report.rows == 1 and cells[0].lower() == "email":
                report.header = True
            else:
                add_row(show, cells, reader.line_num, seen, report, now or timezone.now())
    except csv.Error as error:  # an unclosed quote: the rest of the file is one cell
        report.refused.append((reader.line_num, f"not readable as CSV from here on: {error}"))
    return report


def add_row(show: Show, cells: list[str], line: int, seen: set, report, now) -> None:
    try:
        email, name, expires = read_row(cells, show, now)
        if email in seen:
            raise ValueError(f"{email} is listed twice in this file")
        seen.add(email)
        if Subscriber.objects.filter(show=show, email__iexact=email).exists():
            raise ValueError(f"{email} is already a subscriber of {show.slug}")
        with transaction.atomic():
            report.created.append(
                Subscriber.objects.create(
                    show=show, email=email, name=name, expires_at=expires, source="csv"
                )
            )
    except ValueError as error:
        report.refused.append((line, str(error)))
    except IntegrityError:
        report.refused.append((line, f"{email} was added by someone else meanwhile"))


def read_row(cells: list[str], show: Show, now: dt.datetime) -> tuple[str, str, dt.datetime | None]:
    """(email, name, expires) from one row's cells, or ValueError saying what is wrong."""
    if len(cells) > len(COLUMNS):
        raise ValueError(f"{len(cells)} columns, expected at most 3: email,name,expires")
    email, name, expires = (cells + ["", ""])[:3]
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{email!r} is not an email address" if email else "no email") from None
    if len(name) > 200:
        raise ValueError("the name is over 200 characters")
    return email.lower(), name, expiry(expires, show, now)


def expiry(text: str, show: Show, now: dt.datetime) -> dt.datetime | None:
    """A YYYY-MM-DD date: the subscription runs to the end of that day in the show's zone."""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expires {text!r} is not a date like 2027-01-31") from None
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=show.zone())
    if end <= now:
        raise ValueError(f"expires {text} is already past")
    return end
