"""Command line (layer 7): parse arguments, call one library function, print. Nothing else.

Each verb lives in its own module ``boundcheck/cli/_<verb>.py`` exposing ``register(subparsers)``,
which adds its parser and sets ``handler`` to a function ``(args, console) -> int``.

Exit codes: 0 all as expected; 1 a verdict differs from ``expect`` (or a stress/falsify run found a
failure); 2 bad input (the message names the file, key and line).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import BoundcheckError

__all__ = ["main", "build_parser"]

#: Verb modules, in the order their verbs are listed in ``--help``.
VERB_MODULES = ("_check", "_verify", "_solve", "_recheck", "_latex", "_stress", "_scaling", "_falsify", "_double_descent")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boundcheck",
        description="Derive, prove, refute, stress-test and write up generalization bounds.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for mod in VERB_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as err:  # a verb whose module is not in this build
            if err.name == f"{__name__}.{mod}":
                continue
            raise
        module.register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("boundcheck")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``boundcheck`` console script; returns the exit code."""
    from rich.console import Console

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    console = Console(stderr=False, highlight=False)
    if not console.is_terminal:
        console = Console(stderr=False, highlight=False, width=max(console.width, 140))
    err_console = Console(stderr=True, highlight=False)
    try:
        return int(args.handler(args, console))
    except BoundcheckError as err:
        err_console.print(f"[bold red]error:[/] {err}", markup=True, highlight=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
