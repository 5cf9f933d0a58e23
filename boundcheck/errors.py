"""Error types (bottom layer): one root, subclasses refine a builtin too."""

from __future__ import annotations


class BoundcheckError(Exception):
    """Root of every error boundcheck raises on purpose."""


class SpecError(BoundcheckError, ValueError):
    """A spec (or conjecture) file is malformed.

    Attributes:
        file: path of the file, or None for in-memory input.
        key: dotted key inside the file (``claims[2].expr``), or None.
        line: 1-based line of the key in the file, or None when unknown.
        expr: the offending expression text, when there is one.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None,
                 line: int | None = None, expr: str | None = None) -> None:
        self.message = message
        self.file = file
        self.key = key
        self.line = line
        self.expr = expr
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file) + (f":{self.line}" if self.line else ""))
        elif self.line:
            where.append(f"line {self.line}")
        if self.key:
            where.append(f"key '{self.key}'")
        prefix = ", ".join(where)
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.expr is not None:
            expr = str(self.expr)
            text += f"\n    in: {expr if len(expr) <= 120 else expr[:117] + '...'}"
        return text


class ParseError(SpecError):
    """An expression is not in the whitelisted grammar."""


class UsageError(BoundcheckError, ValueError):
    """Bad arguments at the public API or CLI boundary (not a file)."""


class UnsupportedError(BoundcheckError, NotImplementedError):
    """An expression uses a construct a back end cannot encode; the caller turns it into UNKNOWN."""
