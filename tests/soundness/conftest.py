"""Soundness suite: make the catalogue modules importable and print the decided shares at the end."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    """Write the decided shares measured by the soundness and mutation tests, when they ran."""
    lines = []
    for name in ("test_soundness", "test_mutations"):
        mod = sys.modules.get(name)
        if mod is not None:
            lines.extend(getattr(mod, "SUMMARY", {}).values())
    if lines:
        terminalreporter.section("boundcheck soundness")
        for line in lines:
            terminalreporter.write_line(line)
