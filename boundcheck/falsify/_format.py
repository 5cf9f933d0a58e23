"""Conjecture files (layer 5 ``falsify``): TOML -> :class:`Conjecture`.

A conjecture states how a measured quantity scales with the number of samples n, as an exponent
expressed through the known properties of the latent space (``hausdorff_dim``, ``box_dim``,
``intrinsic_dim``), and the scenario space in which to look for counterexamples. The format is
documented in ``docs/falsify.md``. Every expression goes through :func:`boundcheck.parse.parse_expr`;
every error is a :class:`~boundcheck.errors.SpecError` naming the file, the key and the line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp

from ..errors import BoundcheckError, SpecError
from ..parse import parse_expr, parse_number
from ..spec import parse_toml, read_text_file
from ._components import Component, Param
from ._lines import LineFinder

__all__ = [
    "QUANTITIES", "PROPERTIES", "Param", "Component", "SearchSpace", "SpecTarget", "Conjecture",
    "load_conjecture", "loads_conjecture", "conjecture_from_dict", "parse_good_rule", "geometric_grid",
]

#: Quantities a conjecture can be about.
QUANTITIES = ("nearest_distance", "covering_radius", "good_distance", "loss_gap", "spec_gap")
#: Names an exponent expression may use (the space's known properties).
PROPERTIES = ("hausdorff_dim", "box_dim", "intrinsic_dim")
_NEEDS_LOSS = ("good_distance", "loss_gap")

_TOP_KEYS = {"name", "title", "description", "version", "conjecture", "search", "spec"}
_CONJ_KEYS = {"quantity", "quantities", "exponent", "tolerance", "confidence", "statement"}
_SEARCH_KEYS = {"spaces", "samplers", "maps", "losses", "good", "n", "points", "seeds", "queries", "budget",
                "n_boot"}
_SPEC_KEYS = {"file", "expr", "var", "bind", "n"}
_GOOD_RE = re.compile(r"^\s*(all|mean|median|quantile|threshold)\s*(?:\(\s*([^()]*?)\s*\))?\s*$")


@dataclass(frozen=True, slots=True)
class SearchSpace:
    """Where to look: the components, the good-sample rules and the grid of n."""

    spaces: tuple[Component, ...]
    samplers: tuple[Component, ...]
    maps: tuple[Component, ...]
    losses: tuple[Component, ...]
    good: tuple[str, ...]
    n_min: int
    n_max: int
    points: int
    seeds: int
    queries: int
    budget: float
    n_boot: int

    def n_grid(self) -> tuple[int, ...]:
        """Geometric grid of ``points`` distinct sample sizes from ``n_min`` to ``n_max``."""
        return geometric_grid(self.n_min, self.n_max, self.points)


def geometric_grid(n_min: int, n_max: int, points: int) -> tuple[int, ...]:
    """``points`` sample sizes from ``n_min`` to ``n_max``, geometrically spaced, rounded, distinct."""
    raw = [n_min * (n_max / n_min) ** (k / (points - 1)) for k in range(points)]
    out: list[int] = []
    for v in raw:
        k = int(round(v))
        if not out or k > out[-1]:
            out.append(k)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class SpecTarget:
    """The bound of a spec whose gap is measured (quantity ``spec_gap``).

    ``bind`` maps each free symbol of ``expr`` except ``var`` to a space property name (``str``) or a
    :class:`Param`. ``text`` is the spec file's text, kept so that an artifact replays without the file.
    """

    path: str
    text: str
    expr: str
    var: str
    bind: tuple[tuple[str, str | Param], ...]
    n_range: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Conjecture:
    """A parsed conjecture file. Invariant: ``exponent`` uses only names of :data:`PROPERTIES`."""

    name: str
    title: str
    quantities: tuple[str, ...]
    exponent_text: str
    exponent: sp.Expr
    tolerance: float
    confidence: float
    search: SearchSpace
    spec: SpecTarget | None = None
    description: str = ""
    statement: str = ""
    path: str | None = None
    text: str = field(default="", repr=False)

    def payload(self) -> dict[str, Any]:
        """What a worker (or an artifact) needs to rebuild this conjecture: the file text and path."""
        out: dict[str, Any] = {"text": self.text, "path": self.path}
        if self.spec is not None:
            out["spec_text"] = self.spec.text
        return out


def parse_good_rule(text: str) -> tuple[str, float | None]:
    """Split a good-sample rule (``all``, ``mean``, ``median``, ``quantile(q)``, ``threshold(t)``).

    Raises:
        ValueError: the rule is not one of these.
    """
    m = _GOOD_RE.match(str(text))
    if not m:
        raise ValueError(f"unknown good-sample rule {text!r} (all, mean, median, quantile(q), threshold(t))")
    kind, arg = m.group(1), m.group(2)
    if kind in ("quantile", "threshold"):
        if arg is None or arg == "":
            raise ValueError(f"rule '{kind}' needs an argument, e.g. {kind}(0.25)")
        value = float(parse_number(arg))
        if kind == "quantile" and not 0 <= value <= 1:
            raise ValueError("quantile(q) needs 0 <= q <= 1")
        return kind, value
    if arg:
        raise ValueError(f"rule '{kind}' takes no argument")
    return kind, None


class _Reader:
    def __init__(self, file: str | None, text: str | None) -> None:
        self.file = file
        self.lines = LineFinder(text)

    def err(self, message: str, key: str, table: str | None = None, sub: str | None = None,
            value: str | None = None, expr: str | None = None) -> SpecError:
        return SpecError(message, file=self.file, key=key, line=self.lines.find(table, sub, value), expr=expr)


def _number(reader: _Reader, value: Any, key: str, table: str, sub: str) -> float | int:
    if isinstance(value, bool):
        raise reader.err("expected a number, got a boolean", key, table, sub)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise reader.err("expected a finite number", key, table, sub)
        return value
    if isinstance(value, str):
        expr = parse_number(value, file=reader.file, key=key, line=reader.lines.find(table, sub))
        if not expr.is_real or not expr.is_finite:
            raise reader.err("expected a finite real number", key, table, sub, expr=value)
        return float(expr)
    raise reader.err(f"expected a number, got {type(value).__name__}", key, table, sub)


def _param(reader: _Reader, value: Any, key: str, table: str, sub: str) -> Param:
    if isinstance(value, list):
        if len(value) != 2:
            raise reader.err("a range is a list of two numbers [min, max]", key, table, sub)
        lo, hi = (_number(reader, v, key, table, sub) for v in value)
        kind = "int" if isinstance(lo, int) and isinstance(hi, int) else "float"
        if lo > hi:
            raise reader.err(f"empty range [{lo}, {hi}]", key, table, sub)
        return Param(kind=kind, lo=lo, hi=hi) if lo != hi else Param(kind="fixed", value=lo)
    if isinstance(value, Mapping):
        if "choose" in value:
            if set(value) != {"choose"} or not isinstance(value["choose"], list) or not value["choose"]:
                raise reader.err("a choice is { choose = [value, ...] } (a non-empty list)", key, table, sub)
            for v in value["choose"]:
                if isinstance(v, (list, dict)):
                    raise reader.err("choices must be numbers or strings", key, table, sub)
            return Param(kind="choice", choices=tuple(value["choose"]))
        extra = set(value) - {"min", "max", "log"}
        if extra or "min" not in value or "max" not in value:
            raise reader.err("a range table is { min = a, max = b, log = true|false }", key, table, sub)
        lo = _number(reader, value["min"], key, table, sub)
        hi = _number(reader, value["max"], key, table, sub)
        log = value.get("log", False)
        if not isinstance(log, bool):
            raise reader.err("'log' must be true or false", key, table, sub)
        if lo > hi:
            raise reader.err(f"empty range [{lo}, {hi}]", key, table, sub)
        if log and lo <= 0:
            raise reader.err("a log-uniform range needs min > 0", key, table, sub)
        kind = "int" if isinstance(lo, int) and isinstance(hi, int) and not log else "float"
        return Param(kind=kind, lo=lo, hi=hi, log=log)
    if isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and not math.isfinite(value):
            raise reader.err("expected a finite number", key, table, sub)
        return Param(kind="fixed", value=value)
    raise reader.err(f"unsupported parameter value of type {type(value).__name__}", key, table, sub)


def _components(reader: _Reader, raw: Any, what: str, known: tuple[str, ...] | None,
                default: tuple[Component, ...] | None = None) -> tuple[Component, ...]:
    key = f"search.{what}"
    if raw is None:
        if default is not None:
            return default
        raise reader.err(f"[search] needs '{what}' (a list of names or tables {{ name = ... }})", key, "search")
    if isinstance(raw, (str, Mapping)):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise reader.err(f"'{what}' must be a non-empty list", key, "search", what)
    out = []
    for i, item in enumerate(raw):
        k = f"{key}[{i}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise reader.err(f"each entry of '{what}' is a name or a table with a string 'name'", k, "search", what)
        name = item["name"]
        if known is not None and name not in known:
            raise reader.err(f"unknown {what[:-1]} '{name}' (known: {', '.join(known)})", f"{k}.name", "search",
                             what, value=f'"{name}"')
        params = tuple((p, _param(reader, v, f"{k}.{p}", "search", what)) for p, v in item.items() if p != "name")
        out.append(Component(name=name, params=params))
    return tuple(out)


def _int(reader: _Reader, raw: Mapping[str, Any], key: str, default: int, lo: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        raise reader.err(f"'{key}' must be an integer >= {lo}", f"search.{key}", "search", key)
    return value


def _largest(param: Any) -> float | None:
    values = [param.value, param.hi] + list(param.choices)
    nums = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return max(nums) if nums else None


def _check_budget(reader: _Reader, spaces: tuple[Component, ...], n_max: int, points: int, seeds: int,
                  queries: int, n_boot: int) -> None:
    """The memory one scenario needs, estimated before anything is allocated (boundcheck._budget)."""
    from .._budget import check_dim, check_fits
    from ..errors import UsageError

    dim = 3.0
    for i, comp in enumerate(spaces):
        for p, v in comp.params:
            if p in ("dim", "ambient", "ambient_dim"):
                top = _largest(v)
                try:
                    check_dim(top, p)
                except UsageError as err:
                    raise reader.err(str(err), f"search.spaces[{i}].{p}", "search", "spaces") from None
                dim = max(dim, top or 0)
    per_point = 8 * dim * 8  # a float per coordinate; k-d tree, distances and temporaries
    boot = 8 * 4 * n_boot * points * seeds  # bootstrap resamples of the fits
    terms = {"n": per_point * n_max, "queries": per_point * queries}
    culprit = max((("n_boot", n_boot), ("points", points), ("seeds", seeds)), key=lambda kv: kv[1])
    terms[culprit[0]] = boot
    values = {"n": n_max, "queries": queries, culprit[0]: culprit[1]}
    key = max(terms, key=terms.get)
    other = sum(terms.values()) - terms[key]
    try:
        check_fits("a scenario of this conjecture", terms[key] + other, option=key, value=values[key])
    except UsageError as err:
        raise reader.err(str(err), f"search.{key}", "search", key) from None


def _search(reader: _Reader, raw: Any, quantities: tuple[str, ...]) -> SearchSpace:
    from . import _engine

    if not isinstance(raw, Mapping):
        raise reader.err("a conjecture needs a [search] table", "search", None)
    for k in raw:
        if k not in _SEARCH_KEYS:
            raise reader.err(f"unknown key '{k}' (allowed: {', '.join(sorted(_SEARCH_KEYS))})", f"search.{k}",
                             "search", k)
    spaces = _components(reader, raw.get("spaces"), "spaces", _engine.space_names())
    samplers = _components(reader, raw.get("samplers"), "samplers", _engine.sampler_names(),
                           default=(Component("iid"),))
    maps = _components(reader, raw.get("maps"), "maps", _engine.map_names(), default=(Component("identity"),))
    need_loss = any(q in _NEEDS_LOSS for q in quantities)
    losses = _components(reader, raw.get("losses"), "losses", _engine.loss_names(),
                         default=None if need_loss else ())
    good_raw = raw.get("good", ["mean"])
    if isinstance(good_raw, str):
        good_raw = [good_raw]
    if not isinstance(good_raw, list) or not good_raw:
        raise reader.err("'good' must be a non-empty list of rules", "search.good", "search", "good")
    for i, rule in enumerate(good_raw):
        try:
            parse_good_rule(rule)
        except (ValueError, BoundcheckError) as err:
            raise reader.err(str(err), f"search.good[{i}]", "search", "good") from err
    n_raw = raw.get("n", [64, 4096])
    if (not isinstance(n_raw, list) or len(n_raw) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in n_raw)):
        raise reader.err("'n' is a range of sample sizes [n_min, n_max] (integers)", "search.n", "search", "n")
    n_min, n_max = n_raw
    if n_min < 2 or n_max < 4 * n_min:
        raise reader.err("'n' needs 2 <= n_min and n_max >= 4 n_min (a power law needs a range)", "search.n",
                         "search", "n")
    points = _int(reader, raw, "points", 6, 4)
    seeds = _int(reader, raw, "seeds", 4, 1)
    queries = _int(reader, raw, "queries", 2000, 10)
    n_boot = _int(reader, raw, "n_boot", 200, 10)
    budget = raw.get("budget", 120)
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not budget > 0:
        raise reader.err("'budget' is a positive number of seconds", "search.budget", "search", "budget")
    _check_budget(reader, spaces, n_max, points, seeds, queries, n_boot)
    search = SearchSpace(spaces=spaces, samplers=samplers, maps=maps, losses=losses,
                         good=tuple(str(g) for g in good_raw), n_min=n_min, n_max=n_max, points=points,
                         seeds=seeds, queries=queries, budget=float(budget), n_boot=n_boot)
    if len(search.n_grid()) < 4:
        raise reader.err("the n range gives fewer than 4 distinct sample sizes", "search.n", "search", "n")
    for what, comps in (("spaces", spaces), ("samplers", samplers), ("maps", maps), ("losses", losses)):
        for i, comp in enumerate(comps):
            try:
                _engine.validate_component(what, comp)
            except (BoundcheckError, TypeError, ValueError) as err:
                raise reader.err(f"invalid {what[:-1]} '{comp.name}': {err}", f"search.{what}[{i}]", "search",
                                 what, value=f'"{comp.name}"') from err
    return search


def _spec(reader: _Reader, raw: Any, base: Path | None, spec_text: str | None) -> SpecTarget:
    from ..spec import loads as load_spec

    if not isinstance(raw, Mapping):
        line = reader.lines.find("spec") or reader.lines.find("conjecture", "quantities") or \
            reader.lines.find("conjecture", "quantity")
        raise SpecError("quantity 'spec_gap' needs a [spec] table (file, expr, var, [spec.bind])",
                        file=reader.file, key="spec", line=line)
    for k in raw:
        if k not in _SPEC_KEYS:
            raise reader.err(f"unknown key '{k}' (allowed: {', '.join(sorted(_SPEC_KEYS))})", f"spec.{k}", "spec", k)
    file = raw.get("file")
    if not isinstance(file, str) or not file:
        raise reader.err("[spec] needs 'file', the path of a spec (relative to this file)", "spec.file", "spec",
                         "file")
    path = Path(file) if base is None or Path(file).is_absolute() else base / file
    if spec_text is None:  # the path policy: relative to this file's folder, never leaving it (DESIGN.md)
        from .._paths import inside, read_text

        try:
            path = inside(base if base is not None else Path.cwd(), file, file=reader.file, key="spec.file",
                          what="spec file")
        except SpecError as err:
            raise reader.err(err.message, "spec.file", "spec", "file") from err
        spec_text = read_text(path, "spec")
    problem = load_spec(spec_text, file=str(path))
    expr_name = raw.get("expr", "gap")
    var = raw.get("var", "n")
    names = problem.names()
    if not isinstance(expr_name, str):
        raise reader.err("'expr' must be a string", "spec.expr", "spec", "expr")
    expr = parse_expr(expr_name, names, file=reader.file, key="spec.expr", line=reader.lines.find("spec", "expr"))
    if not isinstance(var, str) or var not in problem.sympy_symbols:
        raise reader.err(f"'var' must name a symbol of the spec; got {var!r}", "spec.var", "spec", "var")
    bind_raw = raw.get("bind", {})
    if not isinstance(bind_raw, Mapping):
        raise reader.err("[spec.bind] is a table symbol = property | number | range", "spec.bind", "spec", "bind")
    bind: list[tuple[str, str | Param]] = []
    for name, value in bind_raw.items():
        key = f"spec.bind.{name}"
        if name not in problem.sympy_symbols:
            raise reader.err(f"'{name}' is not a symbol of the spec", key, "spec.bind", name)
        if name == var:
            raise reader.err(f"'{name}' is the scaling variable; it cannot be bound", key, "spec.bind", name)
        if isinstance(value, str) and value in PROPERTIES:
            bind.append((name, value))
        else:
            bind.append((name, _param(reader, value, key, "spec.bind", name)))
    free = {str(s) for s in expr.free_symbols} - {var}
    missing = sorted(free - {b for b, _ in bind})
    if missing:
        raise reader.err(f"[spec.bind] must give a value to {', '.join(missing)}", "spec.bind", "spec.bind")
    if var not in {str(s) for s in expr.free_symbols}:
        raise reader.err(f"'{expr_name}' does not depend on '{var}'", "spec.expr", "spec", "expr")
    n_range = None
    if "n" in raw:
        n_raw = raw["n"]
        if (not isinstance(n_raw, list) or len(n_raw) != 2
                or any(isinstance(v, bool) or not isinstance(v, int) for v in n_raw)
                or n_raw[0] < 1 or n_raw[1] < 4 * n_raw[0]):
            raise reader.err("'n' is a range [n_min, n_max] of integers with n_max >= 4 n_min", "spec.n", "spec",
                             "n")
        n_range = (n_raw[0], n_raw[1])
    return SpecTarget(path=str(path), text=spec_text, expr=expr_name, var=var, bind=tuple(bind), n_range=n_range)


def conjecture_from_dict(data: Mapping[str, Any], *, file: str | None = None, text: str | None = None,
                         spec_text: str | None = None) -> Conjecture:
    """Build a :class:`Conjecture` from the dictionary form of a conjecture file.

    Args:
        data: what ``tomllib`` returns for the file.
        file: the file's path (for messages and to resolve ``[spec] file``).
        text: the file's text (for line numbers; kept in the result so that artifacts replay).
        spec_text: the spec's text, to use instead of reading ``[spec] file`` (replay).

    Raises:
        SpecError: with file, key and line, for anything malformed.
    """
    reader = _Reader(file, text)
    if not isinstance(data, Mapping):
        raise SpecError("a conjecture file is a table", file=file)
    for k in data:
        if k not in _TOP_KEYS:
            raise reader.err(f"unknown key '{k}' (allowed: {', '.join(sorted(_TOP_KEYS))})", k, None, k)
    name = data.get("name", Path(file).stem if file else "conjecture")
    title = data.get("title", name)
    if not isinstance(name, str) or not isinstance(title, str):
        raise reader.err("name and title must be strings", "name", None, "name")
    conj = data.get("conjecture")
    if not isinstance(conj, Mapping):
        raise reader.err("a conjecture file needs a [conjecture] table", "conjecture", None)
    for k in conj:
        if k not in _CONJ_KEYS:
            raise reader.err(f"unknown key '{k}' (allowed: {', '.join(sorted(_CONJ_KEYS))})", f"conjecture.{k}",
                             "conjecture", k)
    if "quantity" in conj and "quantities" in conj:
        raise reader.err("give 'quantity' or 'quantities', not both", "conjecture.quantities", "conjecture",
                         "quantities")
    qraw = conj.get("quantities", conj.get("quantity"))
    qkey = "quantities" if "quantities" in conj else "quantity"
    if isinstance(qraw, str):
        qraw = [qraw]
    if not isinstance(qraw, list) or not qraw:
        raise reader.err(f"[conjecture] needs 'quantity' (one of {', '.join(QUANTITIES)})", f"conjecture.{qkey}",
                         "conjecture", qkey)
    for i, q in enumerate(qraw):
        if q not in QUANTITIES:
            raise reader.err(f"unknown quantity {q!r} (known: {', '.join(QUANTITIES)})", f"conjecture.{qkey}[{i}]",
                             "conjecture", qkey)
    quantities = tuple(dict.fromkeys(qraw))
    if "exponent" not in conj:
        raise reader.err("[conjecture] needs 'exponent', e.g. \"-1/hausdorff_dim\"", "conjecture.exponent",
                         "conjecture")
    prop_symbols = {p: sp.Symbol(p, nonnegative=True) for p in PROPERTIES}
    exponent_text = conj["exponent"]
    exponent = parse_expr(exponent_text, prop_symbols, file=file, key="conjecture.exponent",
                          line=reader.lines.find("conjecture", "exponent"))
    tolerance = _number(reader, conj.get("tolerance", 0.1), "conjecture.tolerance", "conjecture", "tolerance")
    if tolerance < 0:
        raise reader.err("'tolerance' must be >= 0", "conjecture.tolerance", "conjecture", "tolerance")
    confidence = _number(reader, conj.get("confidence", 0.95), "conjecture.confidence", "conjecture", "confidence")
    if not 0 < confidence < 1:
        raise reader.err("'confidence' must lie strictly between 0 and 1", "conjecture.confidence", "conjecture",
                         "confidence")
    search = _search(reader, data.get("search"), quantities)
    spec = None
    if "spec_gap" in quantities:
        spec = _spec(reader, data.get("spec"), Path(file).parent if file else None, spec_text)
    elif "spec" in data:
        raise reader.err("[spec] is only used by the quantity 'spec_gap'", "spec", "spec")
    return Conjecture(name=name, title=title, quantities=quantities, exponent_text=str(exponent_text),
                      exponent=exponent, tolerance=float(tolerance), confidence=float(confidence), search=search,
                      spec=spec, description=str(data.get("description", "")),
                      statement=str(conj.get("statement", "")), path=file, text=text or "")


def loads_conjecture(text: str, *, file: str | None = None, spec_text: str | None = None) -> Conjecture:
    """Parse conjecture text (TOML).

    Raises:
        SpecError: malformed TOML or conjecture, naming the file, key and line.
    """
    return conjecture_from_dict(parse_toml(text, file=file), file=file, text=text, spec_text=spec_text)


def load_conjecture(path: str | Path) -> Conjecture:
    """Read a conjecture file.

    Raises:
        SpecError: the file is missing, unreadable or malformed.
    """
    return loads_conjecture(read_text_file(path, "conjecture"), file=str(path))
