"""`check`: every stage for one spec, and the report folder (the library function behind the CLI verb).

Stages: verify every claim (certificates written), the asymptotic case analysis, the numeric stress test
(when the spec has a ``[stress]`` table), a plot of the bound's terms, and the LaTeX report (PDF where TeX
exists). The folder holds ``check.json``, ``certificates/``, ``figures/``, ``report.tex`` and ``report.pdf``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .prove.asymptotic import analyze_exponents
from .prove.ladder import verify
from .prove.verdict import Verdict
from .spec import Problem

__all__ = ["CheckResult", "check", "default_out_dir"]

Stage = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` produced. ``ok`` is False when a verdict differs from its ``expect`` or stress failed."""

    problem: Problem
    verdicts: tuple[Verdict, ...]
    exponents: dict
    stress: Any = None
    report: Any = None
    out_dir: Path | None = None
    figures: tuple[Path, ...] = ()
    notes: tuple[str, ...] = field(default=())
    counterexamples: tuple = ()
    searches: tuple = ()

    @property
    def expectation_failures(self) -> list[tuple[str, str, str]]:
        from .report.table import expectation_failures

        return expectation_failures(self.problem, self.verdicts)

    @property
    def ok(self) -> bool:
        stress_failed = bool(self.stress is not None and (getattr(self.stress, "failed", False)
                                                          or getattr(self.stress, "failure", None) is not None))
        return not self.expectation_failures and not stress_failed

    def to_dict(self) -> dict:
        from .report.table import verdicts_json

        data = verdicts_json(self.problem, self.verdicts)
        data["exponents"] = {
            cid: {"var": str(var), "cases": [{"condition": str(c.condition), "exponent": str(c.exponent),
                                             "log_power": str(c.log_power), "dominant": str(c.dominant)}
                                            for c in cases]}
            for cid, (var, cases) in self.exponents.items()}
        data["stress"] = self.stress.to_dict() if self.stress is not None else None
        if self.report is not None:
            data["report"] = {"tex": str(self.report.tex), "pdf": str(self.report.pdf) if self.report.pdf else None,
                              "log": self.report.log}
        data["figures"] = [str(f) for f in self.figures]
        data["counterexamples"] = [{k: a.get(k) for k in ("file", "summary", "plot")} for a in self.counterexamples]
        data["searches"] = list(self.searches)
        data["notes"] = list(self.notes)
        data["ok"] = self.ok
        return data


def default_out_dir(problem: Problem) -> Path:
    """``boundcheck-report/<slug>``: the slug of the spec's ``name`` (never a path: see boundcheck._paths)."""
    from ._paths import slug

    return Path("boundcheck-report") / slug(problem.name)


def check(problem: Problem, out_dir: str | Path | None = None, *, timeout: float = 10.0, seed: int = 0,
          stress_examples: int = 60, pdf: bool | None = None, progress: Stage | None = None,
          conjectures: tuple[str | Path, ...] = (), falsify_budget: float = 60.0,
          counterexamples: tuple[str | Path, ...] = (), jobs: int = 1) -> CheckResult:
    """Run every stage on ``problem`` and write the report folder.

    Args:
        problem: the spec.
        out_dir: the report folder (default ``boundcheck-report/<name>``).
        timeout: seconds per claim.
        seed: seed of the refuter and the stress test.
        stress_examples: Hypothesis budget of the stress test (0 skips it).
        pdf: compile the PDF (None: when TeX is installed).
        progress: ``progress(stage, done, total)``.
        conjectures: conjecture files to search (``boundcheck falsify``) for ``falsify_budget`` seconds
            each; their counterexample artifacts go to ``counterexamples/`` and into the report.
        counterexamples: artifact files (or folders of them) from earlier ``falsify`` runs to include.
        jobs: claims proved at once (worker processes; the verdicts do not depend on it).

    Returns:
        A CheckResult; nothing is printed.
    """
    from .report.latex import find_tex, write_report

    out = Path(out_dir) if out_dir is not None else default_out_dir(problem)
    loaded: list = []  # artifacts from earlier runs, read first: a bad one stops the run before any work
    for path in counterexamples:
        from .falsify import load_artifact
        from .report._tex_extras import confine_plots

        p = Path(path)
        files = sorted(p.glob("*.json")) if p.is_dir() else [p]
        for f in files:
            loaded.append(confine_plots(load_artifact(f), f.parent, str(f)))  # the path policy
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    if problem.path:
        # the spec the verdicts are about, beside them: `boundcheck recheck` checks the certificates against it
        try:
            (out / "spec.toml").write_text(Path(problem.path).read_text(encoding="utf-8"), encoding="utf-8")
        except OSError as err:
            notes.append(f"spec not copied into the report folder: {err}")

    def claim_progress(cid: str, i: int, n: int) -> None:
        if progress is not None:
            progress(f"verify {cid}", i, n)

    verdicts = verify(problem, timeout=timeout, certificates_dir=out / "certificates", seed=seed,
                      progress=claim_progress, jobs=jobs)
    exponents = analyze_exponents(problem)
    stress = None
    if problem.stress is not None and stress_examples > 0:
        from .stress import run_stress

        def stress_progress(i: int, n: int) -> None:
            if progress is not None:
                progress("stress", i, n)

        stress = run_stress(problem, examples=stress_examples, seed=seed, artifact_dir=out,
                            progress=stress_progress)
    elif problem.stress is None:
        notes.append("no [stress] table: the stress test was skipped (docs/stress.md)")
    figures: list[Path] = []
    try:
        from .report.terms import plot_terms

        fig = plot_terms(problem, out / "figures" / "terms.pdf")
        if fig is not None:
            figures.append(fig)
    except ValueError as err:  # a bound the plot cannot evaluate: the report goes on without it
        notes.append(f"terms plot skipped: {err}")
    artifacts: list = []
    searches: list[dict] = []
    if conjectures:
        from .falsify import load_conjecture, result_dict, search, write_artifacts

        for k, path in enumerate(conjectures):
            conj = load_conjecture(path)
            if progress is not None:
                progress(f"falsify {conj.name}", k, len(conjectures))
            res = search(conj, budget=falsify_budget, seed=seed, workers=1)
            arts = write_artifacts(res, out / "counterexamples")
            artifacts.extend(arts)
            searches.append(result_dict(res, arts))
    artifacts.extend(loaded)
    if progress is not None:
        progress("report", 0, 1)
    want_pdf = find_tex() is not None if pdf is None else pdf
    if pdf is None and not want_pdf:
        notes.append("no PDF: pdflatex is not installed (report.tex is written)")
    report = write_report(out, problem, verdicts, pdf=want_pdf, exponents={k: v[1] for k, v in exponents.items()},
                          stress=stress, counterexamples=artifacts,
                          figures=[(f, "The terms of the bound against n (log-log).") for f in figures])
    placed = tuple(p for p in report.figures if p.exists()) if report.figures else tuple(figures)
    result = CheckResult(problem, verdicts, exponents, stress, report, out, placed, tuple(notes),
                         tuple(artifacts), tuple(searches))
    (out / "check.json").write_text(json.dumps(result.to_dict(), indent=2, default=str) + "\n", encoding="utf-8")
    if progress is not None:
        progress("report", 1, 1)
    return result
