"""The one exception hierarchy of the package.

Messages say what failed, where (file, document, line) and what to do about it.
"""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class of every error this package raises on purpose."""

    def _render_traceback_(self) -> list[str]:
        """In a notebook (IPython), the message alone: it says what to fix; a traceback into
        the package would not."""
        return [f"{type(self).__name__}: {self}"]


class DocumentError(AnalysisError):
    """A corpus file that cannot be read as a document (binary, undecodable, empty, too large)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UsageError(AnalysisError):
    """A mistake in how a command was called: an option naming a missing, wrong or unwritable
    file or folder, a value out of range, an unknown report. The command line exits 2."""


class DataFileError(AnalysisError):
    """A data file of the package (indicators, lexicon, units) is malformed."""


class ParameterError(UsageError):
    """A report parameter is unknown or of the wrong type."""


class BuildError(AnalysisError):
    """A report build could not run (lock held, kernel missing, notebook invalid)."""
