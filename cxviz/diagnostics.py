"""Errors and warnings about specs, located at a file, line and column.

Every problem cxviz finds in a spec becomes a :class:`Diagnostic`. They are
collected (never raised one at a time) so that a user sees every problem in
one run, and they are printed the way compilers print them::

    samples/bank.yaml:14:5: error: stages[1].steps[0].emotion: 7 is outside the scale -2..2
       14 |     emotion: 7
          |              ^
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "Severity",
    "Diagnostic",
    "CxvizError",
    "SpecError",
    "PathError",
    "RenderError",
    "OptionError",
    "format_diagnostics",
    "Reporter",
    "printable",
]


# Control characters and bidirectional overrides would reach the terminal from
# a hostile spec's text (colours, a new window title, text shown reordered).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the control's own symbol: U+241B for ESC
    return "\u2421" if code == 0x7F else "\ufffd"


def printable(text: str) -> str:
    """Text safe to print on a terminal: each control character shown as one visible symbol."""
    return _UNPRINTABLE.sub(_picture, text)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a spec.

    ``line`` and ``column`` are 1-based; 0 means the position is unknown
    (for example a file that cannot be read at all).
    """

    severity: Severity
    file: str
    line: int
    column: int
    field: str
    message: str
    source_line: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def headline(self) -> str:
        """The one-line form: ``FILE:LINE:COL: error: FIELD: message``."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        field = self.field if len(self.field) <= 100 else self.field[:99] + "…"  # a key may be long
        subject = f"{field}: " if field else ""
        return printable(f"{where}: {self.severity.value}: {subject}{self.message}")

    def format(self) -> str:
        """The headline followed by the source line and a caret under the column."""
        text = self.headline()
        if self.line and self.source_line:
            gutter = f"{self.line:>5} | "
            text += f"\n{gutter}{printable(self.source_line)}"
            caret_pad = " " * (len(gutter) - 2) + "| "
            # Tabs keep their width so that the caret lines up under them.
            prefix = "".join(c if c == "\t" else " " for c in self.source_line[: self.column - 1])
            text += f"\n{caret_pad}{prefix}^"
        return text

    def as_dict(self) -> dict:
        """A plain mapping, for machine-readable output."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "severity": self.severity.value,
            "message": self.message,
        }


def format_diagnostics(diagnostics: list[Diagnostic]) -> str:
    """All diagnostics in reading order, each with its source excerpt."""
    ordered = sorted(diagnostics, key=lambda d: (d.file, d.line, d.column))
    return "\n".join(d.format() for d in ordered)


class CxvizError(Exception):
    """The base of every error cxviz raises on purpose."""


@dataclass
class SpecError(CxvizError):
    """A spec could not be turned into a model; ``diagnostics`` says why."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return format_diagnostics(self.diagnostics)


class PathError(CxvizError, KeyError):
    """A path names no value written in a spec; ``nearest`` is the closest path that does."""

    def __init__(self, message: str, path: str, nearest: str):
        super().__init__(message)
        self.path = path
        self.nearest = nearest

    def __str__(self) -> str:
        return str(self.args[0])  # KeyError would show the message quoted


class RenderError(CxvizError):
    """A valid model could not be drawn (Graphviz missing, failed or too slow)."""


class OptionError(CxvizError, ValueError):
    """An option or argument cxviz does not know or cannot use; the message lists the choices."""


class Reporter:
    """Collects diagnostics for one source file, quoting its lines.

    ``line`` and ``column`` given to :meth:`error` and :meth:`warning` are
    1-based, as they are printed.
    """

    def __init__(self, file: str, text: str = ""):
        self.file = file
        self._lines = text.splitlines()
        self.diagnostics: list[Diagnostic] = []

    def quote_from(self, text: str) -> None:
        """Quote lines from ``text`` in the diagnostics reported from now on."""
        self._lines = text.splitlines()

    def _add(self, severity: Severity, line: int, column: int, field: str, message: str) -> None:
        source_line = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        self.diagnostics.append(
            Diagnostic(severity, self.file, line, column, field, message, source_line)
        )

    def error(self, line: int, column: int, field: str, message: str) -> None:
        self._add(Severity.ERROR, line, column, field, message)

    def warning(self, line: int, column: int, field: str, message: str) -> None:
        self._add(Severity.WARNING, line, column, field, message)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)
