"""Helpers shared by the verb modules: common options, progress bars."""

from __future__ import annotations

import argparse
from contextlib import contextmanager


def add_common(parser: argparse.ArgumentParser, *, seed: bool = True) -> None:
    parser.add_argument("--json", metavar="PATH", help="also write the machine-readable result to PATH")
    if seed:
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


@contextmanager
def claim_progress(console, total_label: str = "verifying"):
    """A rich progress bar fed by ``progress(claim_id, index, total)`` callbacks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[claim]}"), TimeElapsedColumn(), console=console, transient=True,
                    disable=not console.is_terminal)
    task = None

    def update(claim_id: str, index: int, total: int) -> None:
        nonlocal task
        if task is None:
            task = prog.add_task(total_label, total=total, claim="")
        prog.update(task, completed=index, claim=claim_id)

    with prog:
        yield update
