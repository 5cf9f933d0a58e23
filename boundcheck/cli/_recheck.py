"""`boundcheck recheck REPORT_DIR`: re-verify every certificate of a report folder without the prover."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    p = sub.add_parser("recheck", help="re-verify the certificates of a report folder without the prover",
                       description="Re-verify every certificate of a folder written by 'boundcheck check': SMT-LIB2 "
                                   "obligations with z3 (and cvc5 where installed), each tied to its claim; calculus "
                                   "proof trees by replaying every rule; witnesses by rigorous interval evaluation. "
                                   "Exit 0 when everything checks, 1 when a certificate fails, 2 on bad input.")
    p.add_argument("report_dir", metavar="REPORT_DIR", help="a report folder (check.json, spec.toml, certificates/)")
    p.add_argument("--spec", metavar="SPEC", help="check against this spec instead of the folder's spec.toml")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per solver call (default 20)")
    p.add_argument("--json", metavar="PATH", help="also write the result as JSON to PATH")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace, console) -> int:
    from rich.table import Table
    from rich.text import Text

    from ._common import plain

    from ..recheck import recheck
    from ..report.table import write_json

    rep = recheck(args.report_dir, args.spec, timeout=args.timeout)
    table = Table(title="re-check", show_lines=False)
    for col in ("claim", "certificate", "result", "detail"):
        table.add_column(col, overflow="fold")
    style = {"ok": "green", "failed": "bold red", "skipped": "yellow"}
    for item in rep.items:
        # text from the report folder goes in as Text, never as markup (the console prints none)
        table.add_row(Text(plain(item.claim)), Text(plain(item.what)),
                      Text(item.status.upper(), style=style[item.status]), Text(plain(item.message)))
    console.print(table)
    c = rep.counts()
    console.print(f"{c['ok']} checked, {c['failed']} failed, {c['skipped']} not re-checkable", highlight=False)
    if args.json:
        write_json(args.json, rep.to_dict())
    return 0 if rep.ok else 1
