"""Helpers shared by the verb modules: common options, progress bars."""

from __future__ import annotations

import argparse
import re
from contextlib import contextmanager
from pathlib import Path

#: Characters that must not reach a terminal as themselves: C0 controls but tab and newline, DEL, C1
#: controls, and the bidirectional overrides that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """Text from a file, made safe to print with markup: rich markup escaped, control characters shown as
    ``\\xNN``."""
    from rich.markup import escape

    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                               else f"\\u{ord(m.group()):04x}", str(text)))


def plain(text: object) -> str:
    """Text from a file, made safe to print without markup (control characters shown as ``\\xNN``)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                        else f"\\u{ord(m.group()):04x}", str(text))


def one_line(text: str, limit: int = 600) -> str:
    """A message on one line, at most ``limit`` characters."""
    text = " ".join(part.strip() for part in str(text).splitlines() if part.strip())
    return text if len(text) <= limit else text[:limit - 3] + "..."


#: Suffixes a ``--plot`` file may have (matplotlib writes these).
PLOT_SUFFIXES = (".png", ".pdf", ".svg")


#: Most workers ``--jobs auto`` starts (each may add DEFAULT_MEMORY_MB of address space).
MAX_AUTO_JOBS = 4
JOBS_HELP = ("prove N claims at once, each in its own worker process (default 'auto': one per available core, "
             f"at most {MAX_AUTO_JOBS}; the verdicts do not depend on N)")


def jobs_option(text: str) -> int | str:
    """argparse type of ``--jobs``: a positive integer or ``auto``."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer or 'auto', got {text!r}") from None


def auto_jobs() -> int:
    """One worker per core this process may run on, at most MAX_AUTO_JOBS."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_JOBS))


def check_args(args: argparse.Namespace) -> None:
    """Checks shared by every verb, before any work: ``--timeout``, ``--jobs``, ``--json``, ``--plot``.

    Raises:
        UsageError: naming the option and the bad value.
    """
    from ..errors import UsageError
    from ..prove._worker import check_timeout

    if getattr(args, "timeout", None) is not None:
        check_timeout(args.timeout, "--timeout")
    jobs = getattr(args, "jobs", None)
    if jobs == "auto":
        args.jobs = jobs = auto_jobs()
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be >= 1, got {jobs}")
    check_json_path(getattr(args, "json", None))
    plot = getattr(args, "plot", None)
    if plot is not None:
        if Path(plot).suffix.lower() not in PLOT_SUFFIXES:
            raise UsageError(f"--plot {plot}: the file name must end in {', '.join(PLOT_SUFFIXES)}")
        check_json_path(plot, "--plot")


def check_out_dir(path: str | None, option: str = "-o") -> None:
    """An output folder option: may exist as a folder, must not be a file.

    Raises:
        UsageError: the path is an existing file.
    """
    from ..errors import UsageError

    if path is not None and Path(path).exists() and not Path(path).is_dir():
        raise UsageError(f"{option} {path}: exists and is not a folder")


def check_json_path(path: str | None, option: str = "--json") -> None:
    """A ``--json`` file option: not a folder, its folder must exist (nothing is created on the way).

    Raises:
        UsageError: the path is a folder or its parent folder is missing.
    """
    from ..errors import UsageError

    if path is None:
        return
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{option} {path}: is a folder; give a file name")
    if not p.parent.is_dir():
        raise UsageError(f"{option} {path}: the folder {p.parent} does not exist")


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
        prog.update(task, completed=index, claim=clean(claim_id))

    with prog:
        yield update
