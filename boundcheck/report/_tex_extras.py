"""Optional sections of the LaTeX report (layer 6, report): stress results, scaling fits, counterexamples,
figures.

These stages are produced by other parts of boundcheck; their results are taken duck-typed (an object
with ``to_dict()``, a dict, or a path to a JSON file) so the report depends on none of them. Figures are
copied next to the document under ``figures/`` with a sanitised name (see :func:`plan_figures`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._tex_text import breakable, escape_tex, shorten, tt

__all__ = ["Figure", "as_dict", "as_dicts", "confine_plots", "plan_figures", "dict_table", "figure_tex", "stage_section",
           "FIGURE_DIR", "GRAPHIC_SUFFIXES", "stress_summary"]

FIGURE_DIR = "figures"
GRAPHIC_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")
_PLOT_KEYS = ("plot", "plots", "figure", "figures", "plot_path", "path_plot")


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of the report: its source file, its name under ``figures/`` and its caption."""

    source: Path
    name: str
    caption: str
    item: int | None = None  # index of the result it belongs to within its section


def as_dict(item: Any) -> dict[str, Any]:
    """A stage result as a dict: ``item.to_dict()``, a Mapping, or a JSON file path (read here)."""
    if item is None:
        return {}
    if hasattr(item, "to_dict"):
        return dict(item.to_dict())
    if isinstance(item, Mapping):
        return dict(item)
    if isinstance(item, (str, Path)):
        from .._paths import read_text

        path = Path(item)
        try:
            data = json.loads(read_text(path, "result file"))
        except (ValueError, RecursionError) as err:
            return {"file": str(path), "error": f"cannot read: {err}"}
        if isinstance(data, Mapping):
            out = confine_plots(data, path.parent, str(path))
            out.setdefault("file", path.name)
            return out
        return {"file": str(path), "value": data}
    return {"value": repr(item)}


def confine_plots(data: Mapping[str, Any], base: str | Path, file: str) -> dict[str, Any]:
    """``data`` with every plot path resolved under the path policy (:func:`boundcheck._paths.inside`).

    Plot paths written in a file are relative to its folder ``base``; an absolute path, one that leaves
    the folder, a missing file, a non-graphic suffix or an oversized file is a SpecError naming the key.
    """
    from .._paths import MAX_FIGURE_BYTES, inside
    from ..errors import SpecError

    out = dict(data)
    for k in _PLOT_KEYS:
        v = out.get(k)
        if v is None:
            continue
        items = v if isinstance(v, (list, tuple)) else [v]
        resolved = []
        for j, p in enumerate(items):
            key = k if items is not v else f"{k}[{j}]"
            if not isinstance(p, str) or Path(p).suffix.lower() not in GRAPHIC_SUFFIXES:
                raise SpecError(f"a {k} must be a {'/'.join(GRAPHIC_SUFFIXES)} file name, got {str(p)[:80]!r}",
                                file=file, key=key)
            resolved.append(str(inside(base, p, file=file, key=key, max_bytes=MAX_FIGURE_BYTES, what=k)))
        out[k] = resolved if isinstance(v, (list, tuple)) else resolved[0]
    return out


def as_dicts(items: Any) -> list[dict[str, Any]]:
    """One dict, or a sequence of them, as a list of dicts (see :func:`as_dict`)."""
    if items is None:
        return []
    if isinstance(items, (Mapping, str, Path)) or hasattr(items, "to_dict"):
        return [as_dict(items)]
    return [as_dict(x) for x in items]


def _plot_paths(d: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for k in _PLOT_KEYS:
        v = d.get(k)
        if isinstance(v, (str, Path)):
            out.append(str(v))
        elif isinstance(v, (list, tuple)):
            out.extend(str(x) for x in v if isinstance(x, (str, Path)))
    return out


def plan_figures(stress: Any = None, scaling: Any = None, counterexamples: Iterable[Any] = (),
                 figures: Iterable[Any] = ()) -> dict[str, list[Figure]]:
    """Which figure files go into which section, and their names under ``figures/``.

    ``figures`` items are paths, ``(path, caption)`` pairs or dicts with ``path`` and ``caption``.
    Returns a dict with keys ``stress``, ``scaling``, ``counterexamples``, ``figures``.
    """
    plan: dict[str, list[Figure]] = {"stress": [], "scaling": [], "counterexamples": [], "figures": []}
    used: set[str] = set()

    def add(section: str, path: Any, caption: str, item: int | None = None) -> None:
        src = Path(str(path))
        stem = re.sub(r"[^A-Za-z0-9-]+", "-", src.stem).strip("-")[:40] or "figure"
        name = f"{len(used) + 1:02d}-{stem}{src.suffix.lower()}"
        used.add(name)
        plan[section].append(Figure(src, name, caption, item))

    for k, d in enumerate(as_dicts(stress)):
        for p in _plot_paths(d):
            add("stress", p, "Stress test.", k)
    for k, d in enumerate(as_dicts(scaling)):
        label = _heading(d, ("quantity", "name")) or "the measured quantities"
        for p in _plot_paths(d):
            add("scaling", p, f"Scaling of {label}: measurements and fitted power law.", k)
    for k, d in enumerate(as_dicts(list(counterexamples))):
        label = _heading(d, ("conjecture", "id", "name", "file")) or "a conjecture"
        for p in _plot_paths(d):
            add("counterexamples", p, f"Counterexample to “{label}”.", k)
    for f in figures:
        if isinstance(f, Mapping):
            add("figures", f.get("path", ""), str(f.get("caption", "")))
        elif isinstance(f, (tuple, list)) and len(f) == 2:
            add("figures", f[0], str(f[1]))
        else:
            add("figures", f, "")
    return plan


def figure_tex(fig: Figure) -> str:
    """A figure environment for ``fig`` (or a sentence when the file is missing or not a graphic)."""
    if fig.source.suffix.lower() not in GRAPHIC_SUFFIXES:
        return (f"\\noindent(Figure {tt(fig.source.name)} is not a PDF, PNG or "
                "JPEG file and is not included.)\n\n")
    if not fig.source.is_file():
        return f"\\noindent(Figure file {tt(fig.source.name)} is missing.)\n\n"
    caption = escape_tex(shorten(fig.caption or fig.source.name, 300))
    # not a float: the figure stays in its section (the caption is numbered as a figure all the same)
    # (a minipage keeps the caption on the page of its graphic)
    return ("\\begin{center}\\begin{minipage}{\\linewidth}\\centering\n"
            f"\\includegraphics[width=0.8\\textwidth,height=0.4\\textheight,keepaspectratio]"
            f"{{{FIGURE_DIR}/{fig.name}}}\n\\bcfigurecaption{{{caption}}}\n\\end{{minipage}}\\end{{center}}\n")


def _fmt(v: Any) -> str | None:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "$\\infty$" if v > 0 else "$-\\infty$"
        return escape_tex(f"{v:.6g}")
    if isinstance(v, str):
        s = v if len(v) <= 160 else v[:157] + "..."
        return breakable(escape_tex(s))
    return None


def _flatten(d: Mapping[str, Any], prefix: str = "", depth: int = 0) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if k in _PLOT_KEYS:
            continue
        f = _fmt(v)
        if f is not None:
            rows.append((key, f))
        elif isinstance(v, Mapping) and depth < 2:
            rows.extend(_flatten(v, key + ".", depth + 1))
        elif isinstance(v, (list, tuple)):
            parts = [_fmt(x) for x in v]
            if len(v) <= 6 and all(p is not None for p in parts):
                rows.append((key, "[" + ", ".join(p for p in parts if p is not None) + "]"))
            else:
                rows.append((key, f"{len(v)} items"))
        elif v is None:
            rows.append((key, "--"))
    return rows


_STRESS_KEYS = ("config", "k_eff", "examples", "skipped", "failures_seen", "seed", "elapsed", "examples_per_second",
                "worst_pointwise_margin", "worst_averaged_margin", "failure", "artifact", "skip_reasons")


#: readable labels of the stress result's keys (the JSON keeps the short ones)
_LABELS = {
    "config.lipschitz": "Lipschitz constant (symbol)", "config.radius": "covering radius (symbol or definition)",
    "config.training_loss": "training loss (symbol)", "config.n": "sample size (symbol)",
    "config.dim": "latent dimension (symbol)", "config.bound": "bound (definition)",
    "config.space": "latent spaces", "config.sampling": "samplers", "config.values": "fixed values",
    "k_eff": "effective Lipschitz factor (d bound / d radius)", "examples": "instances drawn",
    "skipped": "instances skipped", "failures_seen": "failures seen", "seed": "seed", "elapsed": "seconds",
    "examples_per_second": "instances per second", "worst_pointwise_margin": "worst pointwise margin",
    "worst_averaged_margin": "worst averaged margin", "failure": "failure", "artifact": "failing example file",
    "skip_reasons": "why instances were skipped",
}


def readable_key(key: str) -> str:
    """A label for a (dotted) result key: from the table above, else words (``k_eff`` -> ``k eff``)."""
    if key in _LABELS:
        return _LABELS[key]
    head, _, last = key.rpartition(".")
    if head in _LABELS:
        return f"{_LABELS[head]}: {last.replace('_', ' ')}"
    return key.replace(".", ": ").replace("_", " ")


def dict_table(d: Mapping[str, Any], *, max_rows: int = 40) -> str:
    """A two-column booktabs table of the scalar entries of a (nested) dict, keys and values escaped."""
    rows = _flatten(d)
    if not rows:
        return ""
    extra = len(rows) - max_rows
    rows = rows[:max_rows]
    body = "\n".join(f"  {breakable(escape_tex(readable_key(k)))} & {v} \\\\" for k, v in rows)
    more = f"  \\multicolumn{{2}}{{@{{}}l}}{{\\emph{{{extra} more entries in the JSON}}}} \\\\\n" if extra > 0 else ""
    return ("\\begin{center}\\small\n\\begin{tabular}{@{}p{0.38\\textwidth}p{0.55\\textwidth}@{}}\n\\toprule\n"
            f"{body}\n{more}\\bottomrule\n\\end{{tabular}}\n\\end{{center}}\n")


def _num(v: Any) -> str:
    """A number for math mode (``-7.9 \\times 10^{-13}``), or ``--``."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return "--"
    if isinstance(v, int):
        return str(v)
    if not math.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\mathrm{NaN}")
    text = f"{v:.3g}"
    mant, _, exp = text.partition("e")
    return f"{mant} \\times 10^{{{int(exp)}}}" if exp else mant


def stress_summary(d: Mapping[str, Any]) -> str:
    """A sentence on a stress result that has the fields of :mod:`boundcheck.stress` (else "")."""
    if "examples" not in d or "failed" not in d:
        return ""
    n, skipped = d.get("examples"), d.get("skipped", 0)
    text = (f"{_num(n)} random instances were drawn (seed {_num(d.get('seed'))}"
            + (f", {_num(skipped)} skipped" if skipped else "") + "). ")
    if d.get("failed"):
        text += r"	extbf{The bound failed} on at least one instance"
        if d.get("artifact"):
            text += " (reproducible from " + r"	exttt{" + breakable(escape_tex(Path(str(d["artifact"])).name)) + "})"
        text += ". "
    else:
        text += "The bound held on every instance. "
    if "worst_pointwise_margin" in d:
        text += (r"The worst pointwise margin, $\max_z\, \ell(z) - \ell(z_i) - K\,\rho(z, z_i)$ (positive when "
                 f"the Lipschitz step is violated), was ${_num(d.get('worst_pointwise_margin'))}$")
        if "worst_averaged_margin" in d:
            text += (", and the worst averaged margin, true loss minus bound, was "
                     f"${_num(d.get('worst_averaged_margin'))}$")
        text += ". "
    steps = [st for st in d.get("steps") or () if isinstance(st, Mapping) and "step" in st and "status" in st]
    if steps:
        text += "Each step on its own: " + "; ".join(
            escape_tex(f"{st['step']} {st['status']}") for st in steps) + ". "
    return text.replace("$--$", "--") + "\n"


def scaling_summary(d: Mapping[str, Any]) -> str:
    """A table of fitted exponents against theory for a result of ``boundcheck scaling`` (else "")."""
    fits = d.get("fits")
    if not isinstance(fits, Mapping) or not fits:
        return ""
    theory = d.get("theory") if isinstance(d.get("theory"), Mapping) else {}
    rows = []
    for key, fit in fits.items():
        if not isinstance(fit, Mapping) or "exponent" not in fit:
            continue
        ci = fit.get("exponent_ci")
        ci_text = f"$[{_num(ci[0])}, {_num(ci[1])}]$" if isinstance(ci, (list, tuple)) and len(ci) == 2 else "--"
        th = theory.get(key) if isinstance(theory.get(key), Mapping) else {}
        th_exp = th.get("exponent")
        source = escape_tex(th.get("source", "")) if th.get("source") else ""
        rows.append(f"  {escape_tex(str(key).replace('_', ' '))} & ${_num(fit.get('exponent'))}$ & {ci_text} & "
                    f"${_num(th_exp)}$ & {source} \\\\")
    if not rows:
        return ""
    where = ""
    space, sampler = d.get("space"), d.get("sampler")
    if isinstance(space, Mapping) and isinstance(sampler, Mapping):
        where = (f"Space {tt(space.get('name', '?'))} of dimension {_fmt(space.get('dim'))}, "
                 f"sampler {tt(sampler.get('name', '?'))}. ")
    return (where + "Fitted power laws (bootstrap confidence intervals over seeds) against theory:\n"
            "\\begin{center}\\small\n\\begin{tabular}{@{}l l l l p{0.3\\textwidth}@{}}\n\\toprule\n"
            "  Quantity & Exponent & 95\\% CI & Theory & Source \\\\\n\\midrule\n" + "\n".join(rows)
            + "\n\\bottomrule\n\\end{tabular}\n\\end{center}\n")


def counterexample_summary(d: Mapping[str, Any]) -> str:
    """The paragraph of a falsify artifact (its ``summary``) and its replay command (else "")."""
    summary = d.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        return ""
    text = breakable(escape_tex(" ".join(summary.split()))) + "\n"
    if isinstance(d.get("replay"), str) and "Replay:" not in summary:
        text += "\n\\noindent Replay: " + tt(d["replay"]) + "\n"
    return text


def _heading(d: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    for h in keys:
        v = d.get(h)
        if isinstance(v, str) and v.strip():
            return v
        if isinstance(v, Mapping):
            for sub in ("title", "name"):
                if isinstance(v.get(sub), str) and v[sub].strip():
                    return v[sub]
    return None


def stage_section(title: str, label: str, intro: str, items: Sequence[Mapping[str, Any]],
                  figures: Sequence[Figure], heading_key: Sequence[str] = ("name", "id", "conjecture")) -> str:
    """A section with, for each result, a summary when its kind is recognised (stress, scaling,
    counterexample artifact) or else a table of its scalar entries; then the section's figures."""
    if not items and not figures:
        return ""
    out = [f"\\section{{{title}}}\\label{{{label}}}\n", intro, "\n"]
    for k, d in enumerate(items, 1):
        head = _heading(d, heading_key)
        if len(items) > 1 or head:
            out.append(f"\\paragraph{{{escape_tex(shorten(head)) if head else f'Result {k}'}.}}\n")
        special = stress_summary(d) + scaling_summary(d) + counterexample_summary(d)
        out.append(special)
        if not special:
            out.append(dict_table(d))
        elif "examples" in d and "failed" in d:  # a stress result: the settings and figures worth a look
            out.append(dict_table({key: d[key] for key in _STRESS_KEYS if key in d}))
        out.extend(figure_tex(f) for f in figures if f.item == k - 1)
    out.extend(figure_tex(f) for f in figures if f.item is None or not 0 <= f.item < len(items))
    return "".join(out)
