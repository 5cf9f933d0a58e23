"""Counterexample artifacts (layer 5 ``falsify``): JSON, log-log plot, summary paragraph, replay.

An artifact is self-contained: it carries the conjecture file's text (and the spec's, for ``spec_gap``),
the scenario with its seed, and the measured points. :func:`replay` rebuilds the conjecture from that
text, re-measures the scenario and checks that every value is bit-identical.

The LaTeX report uses :func:`report_items`: each item has a ``summary`` paragraph and a ``plot`` path.
"""

from __future__ import annotations

import json
import math
import textwrap
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SpecError, UsageError
from ._format import Conjecture, loads_conjecture
from ._measure import Evaluation, Fit, evaluate
from ._scenario import Scenario

__all__ = ["ARTIFACT_FORMAT", "artifact_dict", "write_artifacts", "plot_evaluation", "summarize", "replay",
           "ReplayResult", "report_items", "result_dict", "json_safe", "evaluation_dict", "load_artifact"]

ARTIFACT_FORMAT = "boundcheck-falsify-artifact/1"
_QUANTITY_TEXT = {
    "nearest_distance": "the mean distance from a test point to the nearest training sample",
    "covering_radius": "the covering radius of the training samples",
    "good_distance": "the mean distance from a test point to the nearest good training sample",
    "loss_gap": "the true minus the training loss of the 1-nearest-neighbour interpolant",
    "spec_gap": "the gap of the spec's bound",
}


def json_safe(obj: Any) -> Any:
    """Replace non-finite floats by the strings ``inf``, ``-inf``, ``nan`` (strict JSON)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return "nan" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "-oo" if x < 0 else "oo"
    if math.isnan(x):
        return "undefined"
    return f"{x:.3f}"


def _fit_text(fit: Fit) -> str:
    return f"{_fmt(fit.exponent)} (CI [{_fmt(fit.lo)}, {_fmt(fit.hi)}], n = {fit.n_min}..{fit.n_max})"


def summarize(ev: Evaluation, conj: Conjecture, artifact_path: str | None = None) -> str:
    """One paragraph for a report: the scenario, what was measured, what was predicted, why it counts."""
    scen = ev.scenario
    props = dict(ev.properties)
    space = f"{scen.space}" + (f" ({', '.join(f'{k}={v}' for k, v in scen.space_params)})" if scen.space_params
                               else "")
    dims = ", ".join(f"{k.replace('_', ' ')} {v:.4g}" for k, v in sorted(props.items()))
    parts = [f"Counterexample to '{conj.title}' ({conj.exponent_text} predicted)."]
    how = ""
    if scen.quantity != "spec_gap":
        how = f" with {scen.sampler} samples"
    if scen.quantity in ("good_distance", "loss_gap"):
        how += f", a random {scen.loss} loss" + (f" through a {scen.map} generative map" if scen.map != "identity"
                                                 else "")
        if scen.quantity == "good_distance":
            how += f" and the good-sample rule '{scen.good}'"
    if scen.quantity == "spec_gap":
        how = " with " + ", ".join(f"{k} = {v:.4g}" if isinstance(v, float) else f"{k} = {v}"
                                   for k, v in scen.bind)
    parts.append(f"On the space {space} ({dims}){how}, {_QUANTITY_TEXT[scen.quantity]} was measured at "
                 f"{len(ev.ns)} sample sizes with {len(ev.values[0]) if ev.values else 0} repetition(s) "
                 f"(seed {scen.seed}).")
    assert ev.fit is not None and ev.upper is not None
    parts.append(f"The fitted exponent is {_fit_text(ev.fit)} over the whole range and {_fit_text(ev.upper)} "
                 f"on its upper half, against the predicted {_fmt(ev.predicted)}; the tolerance is "
                 f"{conj.tolerance:g}.")
    if ev.verdict == "refuted":
        parts.append(f"The deviation persists as n grows (extrapolated exponent {_fmt(ev.asymptotic)}), so it is "
                     "not a pre-asymptotic effect.")
    else:
        parts.append(f"The deviation shrinks as n grows (extrapolated exponent {_fmt(ev.asymptotic)}): "
                     "pre-asymptotic.")
    if scen.quantity == "good_distance" and abs(ev.upper.exponent) < 0.1:
        parts.append("The distance levels off: test points where the loss exceeds the rule's threshold stay at a "
                     "positive distance from every good sample, so this term of the bound does not vanish as n "
                     "grows.")
    if ev.symbolic is not None:
        parts.append(f"The exact exponent of the formula for these values (boundcheck.symbolic) is "
                     f"{_fmt(ev.symbolic)}.")
    if scen.quantity == "spec_gap" and abs(ev.upper.exponent + 0.5) < 0.05 and ev.predicted < -0.5:
        parts.append("The gap decays like n^(-1/2): a term of that order (here the complexity term) dominates the "
                     "term the conjecture is about once n is large.")
    if ev.explained_by is not None:
        value = props[ev.explained_by]
        parts.append(f"The measured exponent follows -1/{ev.explained_by.replace('_', ' ')} = {_fmt(-1 / value)} "
                     "instead.")
    if artifact_path:
        parts.append(f"Replay: boundcheck falsify --replay {artifact_path}.")
    return " ".join(parts)


def plot_evaluation(ev: Evaluation, conj: Conjecture, path: str | Path) -> str:
    """Log-log plot of the measured values against n, the fit, the predicted slope; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    ns = np.asarray(ev.ns, dtype=float)
    vals = np.asarray(ev.values, dtype=float)
    mean = vals.mean(axis=1)
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    for r in range(vals.shape[1]):
        ax.scatter(ns, vals[:, r], s=8, color="0.6", alpha=0.6, label="repetitions" if r == 0 else None)
    ax.plot(ns, mean, "o", color="C0", label="measured (mean)")
    if ev.fit is not None:
        ax.plot(ns, ev.fit.prefactor * ns ** ev.fit.exponent, "-", color="C0",
                label=f"fit: n^{ev.fit.exponent:.3f}")
    anchor_n, anchor_v = ns[0], mean[0]
    if math.isfinite(ev.predicted):
        ax.plot(ns, anchor_v * (ns / anchor_n) ** ev.predicted, "--", color="C3",
                label=f"predicted: n^{ev.predicted:.3f} ({conj.exponent_text})")
    else:
        ax.plot([], [], "--", color="C3", label=f"predicted: exponent {_fmt(ev.predicted)} ({conj.exponent_text})")
    for k, (name, value) in enumerate(ev.properties):
        if value > 0 and not math.isclose(-1 / value, ev.predicted, rel_tol=1e-9) and name == ev.explained_by:
            ax.plot(ns, anchor_v * (ns / anchor_n) ** (-1 / value), ":", color=f"C{k + 4}",
                    label=f"-1/{name}: n^{-1 / value:.3f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n")
    ax.set_ylabel(ev.scenario.quantity.replace("_", " "))
    # the whole description, wrapped to the axes' width (a cut title hides the parameters that matter)
    ax.set_title("\n".join(textwrap.wrap(ev.scenario.describe(), 64)), fontsize=7)
    ax.legend(fontsize=7)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    """JSON-ready form of an evaluation (without the measured points)."""
    out: dict[str, Any] = {
        "scenario": ev.scenario.to_dict(), "description": ev.scenario.describe(), "verdict": ev.verdict,
        "predicted": ev.predicted, "deviation": ev.deviation, "asymptotic_exponent": ev.asymptotic,
        "properties": dict(ev.properties), "kind": ev.kind, "elapsed": ev.elapsed, "score": ev.score,
        "explained_by": ev.explained_by, "symbolic_exponent": ev.symbolic,
    }
    for name in ("fit", "lower", "upper"):
        f = getattr(ev, name)
        out[name] = None if f is None else f.to_dict()
    if ev.note:
        out["note"] = ev.note
    return out


def artifact_dict(ev: Evaluation, conj: Conjecture, *, plot: str | None = None,
                  path: str | None = None) -> dict[str, Any]:
    """The artifact of a counterexample (everything needed to replay it)."""
    import numpy
    import scipy

    return {
        "format": ARTIFACT_FORMAT,
        "conjecture": {"name": conj.name, "title": conj.title, "exponent": conj.exponent_text,
                       "tolerance": conj.tolerance, "confidence": conj.confidence, "path": conj.path,
                       "text": conj.text, "spec_text": conj.spec.text if conj.spec is not None else None},
        "scenario": ev.scenario.to_dict(),
        "seed": ev.scenario.seed,
        "ns": list(ev.ns),
        "values": [list(row) for row in ev.values],
        "result": evaluation_dict(ev),
        "summary": summarize(ev, conj, path),
        "plot": plot,
        "replay": f"boundcheck falsify --replay {path}" if path else None,
        "versions": {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__},
    }


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def select_artifacts(counterexamples: tuple[Evaluation, ...], max_artifacts: int) -> list[Evaluation]:
    """The best counterexample of each kind (quantity and space), at most ``max_artifacts``, taken round-robin
    over the quantities (best first within each) so that every quantity with a counterexample is shown."""
    from ._search import kind_of

    seen: dict[str, Evaluation] = {}
    for ev in counterexamples:
        seen.setdefault(kind_of(ev), ev)
    by_quantity: dict[str, list[Evaluation]] = {}
    for ev in seen.values():
        by_quantity.setdefault(ev.scenario.quantity, []).append(ev)
    out: list[Evaluation] = []
    while len(out) < max_artifacts and any(by_quantity.values()):
        for queue in by_quantity.values():
            if queue and len(out) < max_artifacts:
                out.append(queue.pop(0))
    return out


def write_artifacts(result: Any, out_dir: str | Path, *, max_artifacts: int = 12,
                    plots: bool = True) -> list[dict[str, Any]]:
    """Write one JSON artifact (and plot) per counterexample kind into ``out_dir``; return the artifacts.

    In the returned dicts ``plot`` is the plot's path; in the JSON files it is the file name, relative to
    the artifact (so that a folder of artifacts can be moved).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    conj = result.conjecture
    arts = []
    for k, ev in enumerate(select_artifacts(result.counterexamples, max_artifacts), start=1):
        stem = f"{_slug(conj.name)}-{k:02d}-{ev.scenario.quantity}-{_slug(ev.scenario.space)}"
        jpath = out / f"{stem}.json"
        ppath = plot_evaluation(ev, conj, out / f"{stem}.png") if plots else None
        art = artifact_dict(ev, conj, plot=ppath, path=str(jpath))
        art["file"] = str(jpath)
        on_disk = dict(art, plot=Path(ppath).name if ppath else None)  # relative to the artifact: relocatable
        jpath.write_text(json.dumps(json_safe(on_disk), indent=1), encoding="utf-8")
        arts.append(art)
    return arts


def load_artifact(path: str | Path) -> dict[str, Any]:
    """Read an artifact file.

    Raises:
        SpecError: unreadable, not JSON, or not an artifact.
    """
    from .._paths import read_text

    path = Path(path)
    try:
        data = json.loads(read_text(path, "artifact"))
    except (RecursionError, ValueError) as err:  # JSONDecodeError, and ints over 4300 digits
        raise SpecError(f"cannot read artifact: {err}", file=str(path)) from err
    from ..spec import check_text_tree

    check_text_tree(data, file=str(path))
    if not isinstance(data, dict) or data.get("format") != ARTIFACT_FORMAT:
        raise SpecError(f"not a falsify artifact (expected format {ARTIFACT_FORMAT!r})", file=str(path),
                        key="format")
    for key in ("conjecture", "scenario", "values", "ns"):
        if key not in data:
            raise SpecError(f"artifact lacks '{key}'", file=str(path), key=key)
    return data


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """The outcome of replaying an artifact: ``identical`` when every value matches bit for bit."""

    identical: bool
    evaluation: Evaluation
    recorded: tuple[tuple[float, ...], ...]
    max_abs_diff: float
    same_verdict: bool
    artifact: dict[str, Any]


def replay(path: str | Path) -> ReplayResult:
    """Re-measure the scenario of an artifact and compare with the recorded values.

    Raises:
        SpecError: the artifact (or the conjecture inside it) is malformed.
    """
    data = load_artifact(path)
    c = data["conjecture"]
    if not isinstance(c, dict) or not isinstance(c.get("text"), str):
        raise SpecError("artifact lacks the conjecture text", file=str(path), key="conjecture.text")
    # the recorded path is only a label: a [spec] file the artifact does not carry is looked up beside the
    # artifact itself, under the path policy (never where a tampered artifact says)
    spec_text = c.get("spec_text")
    label = c.get("path") if isinstance(c.get("path"), str) and spec_text is not None else str(path)
    conj = loads_conjecture(c["text"], file=label, spec_text=spec_text if isinstance(spec_text, str) else None)
    try:
        scen = Scenario.from_dict(data["scenario"])
    except (KeyError, TypeError, ValueError) as err:
        raise SpecError(f"malformed scenario: {err}", file=str(path), key="scenario") from err
    ev = evaluate(conj, scen)
    if ev.verdict == "invalid":
        raise UsageError(f"the scenario of {path} no longer evaluates: {ev.note}")
    recorded = tuple(tuple(float(v) for v in row) for row in data["values"])
    same = ev.values == recorded and tuple(ev.ns) == tuple(data["ns"])
    diff = 0.0
    if len(recorded) == len(ev.values):
        diff = max((abs(a - b) for ra, rb in zip(ev.values, recorded) for a, b in zip(ra, rb)), default=0.0)
    else:
        diff = math.inf
    old_verdict = (data.get("result") or {}).get("verdict")
    return ReplayResult(identical=same, evaluation=ev, recorded=recorded, max_abs_diff=diff,
                        same_verdict=old_verdict == ev.verdict, artifact=data)


def report_items(artifacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For the LaTeX report: one item per artifact with its ``summary`` paragraph and ``plot`` path."""
    return [{"summary": a["summary"], "plot": a.get("plot"), "file": a.get("file"),
             "verdict": a["result"]["verdict"]} for a in artifacts]


def result_dict(result: Any, artifacts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """JSON-ready summary of a search (every evaluation, ranked counterexamples, artifact files)."""
    conj = result.conjecture
    return json_safe({
        "conjecture": {"name": conj.name, "title": conj.title, "exponent": conj.exponent_text,
                       "tolerance": conj.tolerance, "quantities": list(conj.quantities), "path": conj.path},
        "strategy": result.strategy, "seed": result.seed, "workers": result.workers, "backend": result.backend,
        "elapsed": result.elapsed, "evaluated": len(result.evaluations), "invalid": result.invalid,
        "scenarios_per_second": result.scenarios_per_second,
        "refuted": len(result.counterexamples) > 0,
        "first_found": dict(result.first_found),
        "counterexamples": [evaluation_dict(e) for e in result.counterexamples],
        "pre_asymptotic": [evaluation_dict(e) for e in result.pre_asymptotic],
        "unsettled": [evaluation_dict(e) for e in result.unsettled],
        "artifacts": [{"file": a.get("file"), "plot": a.get("plot"), "summary": a["summary"]}
                      for a in (artifacts or [])],
        "evaluations": [evaluation_dict(e) for e in result.evaluations],
    })
