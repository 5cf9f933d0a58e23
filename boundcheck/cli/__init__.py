"""Command line (layer 7): parse arguments, call one library function, print. Nothing else.

Each verb lives in its own module ``boundcheck/cli/_<verb>.py`` exposing ``register(subparsers)``,
which adds its parser and sets ``handler`` to a function ``(args, console) -> int``.

Exit codes: 0 all as expected; 1 a verdict differs from ``expect`` (or a stress/falsify run found a
failure); 2 bad input (a one-line message names the file, key and line); 3 an internal error (a short
message; the traceback only with ``--debug``); 130 interrupted.

Text from files never reaches the terminal as markup: the consoles are made with ``markup=False`` and the
few styled lines escape what they interpolate (:func:`boundcheck.cli._common.clean`).
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
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
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


class _VersionAction(argparse.Action):
    """--version, with the package metadata read only when asked (importlib.metadata costs ~0.1 s cold)."""

    def __call__(self, parser, namespace, values, option_string=None):  # noqa: ANN001 - argparse's protocol
        parser.exit(message=f"{parser.prog} {_version()}\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("boundcheck")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``boundcheck`` console script; returns the exit code.

    The one top-level handler: bad input (a BoundcheckError, or an OS error on a file the user named) is
    exit 2 with one line; anything else is an internal error, exit 3 with a short message (the traceback
    with ``--debug``).
    """
    from rich.console import Console

    from ._common import check_args, clean, one_line

    parser = build_parser()
    args = parser.parse_args(argv)
    # a 5000-digit number in a spec prints in the table and the report, not "internal error" (the workers
    # inherit this; boundcheck.prove._worker.INT_MAX_STR_DIGITS)
    if 0 < getattr(sys, "get_int_max_str_digits", lambda: 0)() < 100_000:
        sys.set_int_max_str_digits(100_000)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    console = Console(stderr=False, highlight=False, markup=False, emoji=False)
    if not console.is_terminal:
        console = Console(stderr=False, highlight=False, markup=False, emoji=False, width=max(console.width, 140))
    err_console = Console(stderr=True, highlight=False, markup=False, emoji=False)

    def error(label: str, text: str) -> None:
        err_console.print(f"[bold red]{label}:[/] {clean(text)}", markup=True, highlight=False, soft_wrap=True)

    try:
        check_args(args)
        return int(args.handler(args, console))
    except BoundcheckError as err:
        first, _, rest = str(err).partition("\n")
        if rest and type(err).__name__ == "LatexError":  # the log's tail is worth its lines
            error("error", first)
            err_console.print(clean(rest), markup=True, highlight=False, soft_wrap=True)
        else:
            error("error", one_line(str(err)))
        return 2
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except (OSError, RecursionError, MemoryError) as err:
        # a file or folder the user named that cannot be read or written, or input too big or too deep for
        # this process: bad input, not a bug
        if getattr(args, "debug", False):
            err_console.print_exception()
        what = getattr(err, "filename", None)
        text = f"{err.strerror}: {what}" if isinstance(err, OSError) and err.strerror and what else (
            f"input too large for memory ({type(err).__name__})" if isinstance(err, MemoryError) else
            "input nested too deeply" if isinstance(err, RecursionError) else str(err))
        error("error", one_line(text))
        return 2
    except Exception as err:  # noqa: BLE001 - the one place an unexpected error becomes exit 3
        if getattr(args, "debug", False):
            err_console.print_exception()
        error("internal error", one_line(f"{type(err).__name__}: {err}")[:300]
              + " (a bug in boundcheck: rerun with --debug for the traceback and please report it)")
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
