"""Terminal rendering of verdicts (rich) and their JSON form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rich.table import Table
from rich.text import Text

from ..prove.verdict import Status, Verdict
from ..spec import Problem

__all__ = ["verdict_table", "verdicts_json", "write_json", "expectation_failures", "summary_line", "STATUS_STYLE"]

STATUS_STYLE = {Status.PROVED: "bold green", Status.REFUTED: "bold red", Status.UNKNOWN: "bold yellow"}


def expectation_failures(problem: Problem, verdicts: Sequence[Verdict]) -> list[tuple[str, str, str]]:
    """(claim id, expected, got) for every claim whose verdict differs from its ``expect``."""
    out = []
    for claim, v in zip(problem.all_claims, verdicts):
        if claim.expect and claim.expect != v.status.value:
            out.append((claim.id, claim.expect, v.status.value))
    return out


def summary_line(problem: Problem, verdicts: Sequence[Verdict]) -> Text:
    """``13 proved, 1 refuted, 0 unknown in 1.21 s; every verdict as expected``."""
    counts = {st: sum(v.status is st for v in verdicts) for st in Status}
    text = Text()
    for i, st in enumerate(Status):
        if i:
            text.append(", ")
        text.append(f"{counts[st]} {st.value}", style=STATUS_STYLE[st] if counts[st] else "")
    text.append(f" in {sum(v.seconds for v in verdicts):.2f} s")
    vacuous = [v.claim_id for v in verdicts if v.vacuous]
    if vacuous:
        text.append(f"; warning: {len(vacuous)} vacuous (the assumptions leave no point): {', '.join(vacuous)}",
                    style="bold yellow")
    failures = expectation_failures(problem, verdicts)
    with_expect = sum(1 for c in problem.all_claims if c.expect)
    if failures:
        text.append(f"; {len(failures)} of {with_expect} expectations not met", style="bold red")
    elif with_expect:
        text.append(f"; all {with_expect} expectations met", style="green")
    return text


def verdict_table(problem: Problem, verdicts: Sequence[Verdict], *, title: str | None = None) -> Table:
    """A rich Table: claim, kind, verdict, method, time, and the certificate, witness or reason."""
    table = Table(title=title or problem.title, title_justify="left", show_lines=False, expand=False)
    table.add_column("claim", style="bold", overflow="fold", max_width=30)
    table.add_column("kind", max_width=16)
    table.add_column("verdict")
    table.add_column("method")
    table.add_column("time", justify="right")
    table.add_column("evidence", overflow="fold", max_width=70)
    for claim, v in zip(problem.all_claims, verdicts):
        verdict = Text(v.label(), style="yellow" if v.vacuous else STATUS_STYLE[v.status])
        if claim.expect and claim.expect != v.status.value:
            verdict.append(f" (expected {claim.expect})", style="red")
        if v.status is Status.PROVED:
            ev = v.certificate.detail if v.certificate else ""
            if v.certificate and v.certificate.path:
                ev += f" [{v.certificate.path}]"
        elif v.status is Status.REFUTED and v.witness:
            ev = ", ".join(f"{k}={val}" for k, val in v.witness.point) + ": " + v.witness.explanation
        else:
            ev = v.reason
        if len(ev) > 240:
            ev = ev[:237] + "..."
        kind = claim.kind + (f" in {claim.var}" if claim.var else "")
        # user text goes in as Text, never as markup: a '[' in an id or path must print as itself
        table.add_row(Text(claim.id), Text(kind), verdict, Text(v.method), f"{v.seconds:.2f}s", Text(ev))
    return table


def verdicts_json(problem: Problem, verdicts: Sequence[Verdict]) -> dict:
    """Machine-readable verdicts (the ``--json`` output of ``verify``)."""
    claims = []
    for claim, v in zip(problem.all_claims, verdicts):
        d = v.to_dict()
        d["kind"] = claim.kind
        if claim.var:
            d["var"] = claim.var
        if claim.expect:
            d["expect"] = claim.expect
            d["as_expected"] = claim.expect == v.status.value
        claims.append(d)
    counts = {s.value: sum(v.status is s for v in verdicts) for s in Status}
    return {"spec": problem.path, "name": problem.name, "title": problem.title, "counts": counts,
            "seconds": round(sum(v.seconds for v in verdicts), 3), "claims": claims,
            "expectation_failures": [dict(zip(("claim", "expected", "got"), f))
                                     for f in expectation_failures(problem, verdicts)]}


def write_json(path: str | Path, data: dict) -> Path:
    """Write JSON (creating parent folders)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def result_table(verdicts: Sequence[Verdict], *, title: str | None = None) -> Table:
    """What threshold and optimum claims found (n*, eps*, the tuned value), one row per quantity."""
    table = Table(title=title, show_lines=False)
    for col in ("claim", "verdict", "quantity", "value"):
        table.add_column(col, overflow="fold")
    for v in verdicts:
        rows = v.result or (("-", "-"),)
        for i, (k, val) in enumerate(rows):
            table.add_row(Text(v.claim_id if i == 0 else ""), Text(str(v.status) if i == 0 else ""), Text(k),
                          Text(val))
    return table
