"""Line numbers for keys of a TOML file (tomllib gives no positions); part of layer 5 ``falsify``."""

from __future__ import annotations

import re

__all__ = ["LineFinder"]


class LineFinder:
    """Finds the 1-based line of a key, or of a value inside an array, in TOML text.

    Tables are located by their ``[header]`` lines; a key by ``key =`` inside its table (or inside an
    inline table on a line of that table). Missing text yields None, never an error.
    """

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str | None) -> None:
        self.lines = text.splitlines() if text else []
        self.sections: list[tuple[str, int]] = []
        for i, line in enumerate(self.lines):
            m = self._HEADER.match(line)
            if m:
                self.sections.append((m.group(1).strip(), i))

    def _span(self, table: str | None) -> tuple[int, int] | None:
        if table is None:
            return 0, (self.sections[0][1] if self.sections else len(self.lines))
        for k, (name, start) in enumerate(self.sections):
            if name == table:
                end = self.sections[k + 1][1] if k + 1 < len(self.sections) else len(self.lines)
                return start, end
        return None

    def find(self, table: str | None, key: str | None = None, value: str | None = None) -> int | None:
        """Line of ``key`` in ``table`` (and of ``value`` after it, when given); None when not found."""
        span = self._span(table)
        if span is None:
            return None
        start, end = span
        if key is None:
            return start + 1 if table is not None else None
        pat = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*=")
        inline = re.compile(rf"[{{,]\s*{re.escape(key)}\s*=")
        first = None
        for i in range(start, end):
            if pat.match(self.lines[i]) or inline.search(self.lines[i]):
                first = i
                break
        if first is None:
            return start + 1 if table is not None else None
        if value is not None:
            for i in range(first, end):
                if value in self.lines[i]:
                    return i + 1
        return first + 1
