"""Spec files (layer 1): TOML -> Problem, Symbol, Definition, Claim, Step.

The format is spec format v1 of DESIGN.md. Every expression goes through :mod:`boundcheck.parse`;
errors carry the file, the key and the line.
"""

from __future__ import annotations

import keyword
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy as sp

from .errors import SpecError
from .parse import KEYWORD_NAMES, definedness_terms, parse_expr, parse_number, parse_relation

__all__ = [
    "Symbol", "Definition", "Claim", "Step", "Problem", "load", "loads", "problem_from_dict",
    "CLAIM_KINDS", "MONOTONE_KINDS", "EXPECTS", "RELATIONS",
]

MONOTONE_KINDS = ("increasing", "decreasing", "nondecreasing", "nonincreasing")
CLAIM_KINDS = MONOTONE_KINDS + ("nonnegative", "positive", "le", "lt", "eq", "limit", "exponent", "threshold",
                                 "optimum")
EXPECTS = ("proved", "refuted", "unknown")
RELATIONS = {"<=": "le", "<": "lt", "=": "eq", "==": "eq", ">=": "ge", ">": "gt"}
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# Any identifier may name a symbol or definition (gamma for a margin, N, lambda, S, Q, O, E, ...): a name
# shadows the function or constant of the same spelling unless it is called, e.g. gamma(x). Only the
# relation constructors stay reserved.
_RESERVED = {"Eq", "Ne"}

_TOP_KEYS = {"name", "title", "description", "symbols", "definitions", "claims", "derivation", "stress",
             "version", "assumptions"}
_SYMBOL_KEYS = {"kind", "min", "max", "min_open", "max_open", "latex", "description"}
_CLAIM_KEYS = {"id", "kind", "expr", "var", "lhs", "rhs", "at", "value", "assume", "expect", "description",
               "timeout", "log_power", "soft", "rel", "given", "along", "exponent", "factor"}
# keys that only some kinds take (the referee's claims: thresholds, optima, rates with log factors)
_KIND_KEYS = {"log_power": ("exponent",), "soft": ("exponent",), "rel": ("threshold",), "given": ("threshold",),
              "along": ("optimum",), "exponent": ("optimum",), "factor": ("optimum",)}
_STEP_KEYS = {"id", "lhs", "rel", "rhs", "rule", "using", "assume", "expect", "description"}


@dataclass(frozen=True, slots=True)
class Symbol:
    """A symbol with its domain. Invariant: the domain is not empty.

    ``lo``/``hi`` are exact sympy numbers or None (unbounded); ``sym`` carries the sympy assumptions
    implied by the domain (real, integer, positive, nonnegative, ...).
    """

    name: str
    kind: str
    lo: sp.Expr | None
    hi: sp.Expr | None
    lo_open: bool
    hi_open: bool
    sym: sp.Symbol
    latex: str | None = None
    description: str = ""
    line: int | None = None

    @property
    def is_integer(self) -> bool:
        return self.kind == "integer"

    def constraints(self, sym: sp.Expr | None = None) -> tuple[sp.Basic, ...]:
        """The domain as sympy relations on ``sym`` (default: the symbol itself)."""
        x = self.sym if sym is None else sym
        out: list[sp.Basic] = []
        if self.lo is not None:
            out.append(sp.StrictGreaterThan(x, self.lo, evaluate=False) if self.lo_open
                       else sp.GreaterThan(x, self.lo, evaluate=False))
        if self.hi is not None:
            out.append(sp.StrictLessThan(x, self.hi, evaluate=False) if self.hi_open
                       else sp.LessThan(x, self.hi, evaluate=False))
        return tuple(out)

    def contains(self, value: sp.Expr) -> bool:
        """Whether an exact number lies in the domain (integrality included)."""
        value = sp.sympify(value, strict=True)
        if self.is_integer and not value.is_integer:
            return False
        if self.lo is not None and (value < self.lo if not self.lo_open else value <= self.lo):
            return False
        if self.hi is not None and (value > self.hi if not self.hi_open else value >= self.hi):
            return False
        return True

    def describe(self) -> str:
        """The domain in interval notation, e.g. ``n ∈ Z ∩ [1, oo)``."""
        lo = "-oo" if self.lo is None else str(self.lo)
        hi = "oo" if self.hi is None else str(self.hi)
        left = "(" if (self.lo is None or self.lo_open) else "["
        right = ")" if (self.hi is None or self.hi_open) else "]"
        space = "integer" if self.is_integer else "real"
        return f"{self.name} {space} in {left}{lo}, {hi}{right}"


@dataclass(frozen=True, slots=True)
class Definition:
    """A named definition. ``expr`` keeps earlier definitions as plain symbols (for display);
    ``expanded`` is in terms of the spec's symbols only."""

    name: str
    text: str
    expr: sp.Expr
    expanded: sp.Expr
    placeholder: sp.Symbol
    line: int | None = None
    defined: tuple[sp.Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim about the bound; all expressions are expanded (spec symbols only).

    kind is one of CLAIM_KINDS. Monotone kinds, ``limit`` and ``exponent`` use ``expr`` and ``var``;
    ``nonnegative``/``positive`` use ``expr``; ``le``/``lt``/``eq`` use ``lhs`` and ``rhs``. ``limit`` uses
    ``at`` and ``value``; ``exponent`` uses ``value`` (expr = Theta(var**value * log(var)**log_power) as
    var -> oo; with ``soft`` log factors are ignored, the O-tilde of papers).

    ``threshold`` uses ``lhs``, ``rel``, ``rhs``, ``var`` and ``given`` (values of the other symbols): the
    least ``var`` from which ``lhs rel rhs`` holds for all larger ``var``; ``value`` (optional) is the
    claimed threshold. ``optimum`` minimises ``expr`` over the parameter ``var``; ``along`` names the growing
    symbol, ``value`` (optional) the claimed minimiser, ``exponent`` (optional) the claimed exponent of the
    tuned expression in ``along``, ``factor`` the constant within which the tuned value is claimed optimal.
    """

    id: str
    kind: str
    expr: sp.Expr | None = None
    var: str | None = None
    lhs: sp.Expr | None = None
    rhs: sp.Expr | None = None
    at: sp.Expr | None = None
    value: sp.Expr | None = None
    assume: tuple[sp.Basic, ...] = ()
    expect: str | None = None
    description: str = ""
    texts: tuple[tuple[str, str], ...] = ()
    timeout: float | None = None
    source: str = "claims"
    rule: str | None = None
    line: int | None = None
    log_power: sp.Expr | None = None
    soft: bool = False
    rel: str | None = None
    given: tuple[tuple[str, sp.Expr], ...] = ()
    along: str | None = None
    exponent: sp.Expr | None = None
    factor: sp.Expr | None = None
    #: partial sub-terms of the expressions as written (parse.definedness_terms): the claim is about
    #: points where every one of them is defined, and a proof must show they are on the whole domain
    defined: tuple[sp.Expr, ...] = ()

    def text(self, key: str) -> str | None:
        """The raw text the spec gave for ``key`` (for display), or None."""
        return dict(self.texts).get(key)


@dataclass(frozen=True, slots=True)
class Step:
    """One step ``lhs rel rhs`` of a derivation chain, justified by ``rule`` under ``using``."""

    id: str
    lhs_text: str
    rel: str
    rhs_text: str
    rule: str
    using: tuple[str, ...]
    claim: Claim
    description: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """A parsed spec. Invariants: names are unique; definitions only use earlier names; every claim
    expression uses spec symbols only."""

    name: str
    title: str
    symbols: tuple[Symbol, ...]
    definitions: tuple[Definition, ...]
    claims: tuple[Claim, ...]
    derivation: tuple[Step, ...] = ()
    description: str = ""
    assumptions: tuple[sp.Basic, ...] = ()
    stress: Mapping[str, Any] | None = None
    path: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def _repr_html_(self) -> str:
        from .report.notebook import problem_html  # display only: the report layer renders

        return problem_html(self)

    def _repr_latex_(self) -> str:
        from .report.notebook import problem_latex

        return problem_latex(self)

    def symbol(self, name: str) -> Symbol:
        for s in self.symbols:
            if s.name == name:
                return s
        raise KeyError(name)

    def definition(self, name: str) -> Definition:
        for d in self.definitions:
            if d.name == name:
                return d
        raise KeyError(name)

    @property
    def sympy_symbols(self) -> dict[str, sp.Symbol]:
        return {s.name: s.sym for s in self.symbols}

    def names(self, expanded: bool = True) -> dict[str, sp.Expr]:
        """Names an expression of this spec may use: symbols, then definitions."""
        out: dict[str, sp.Expr] = dict(self.sympy_symbols)
        for d in self.definitions:
            out[d.name] = d.expanded if expanded else d.placeholder
        return out

    def expression(self, text: str) -> sp.Expr:
        """Parse an expression over this spec's names (expanded)."""
        return parse_expr(text, self.names(), file=self.path)

    def domain(self, exclude: Sequence[str] = ()) -> tuple[sp.Basic, ...]:
        """All symbol domains (and global assumptions) as relations."""
        out: list[sp.Basic] = []
        for s in self.symbols:
            if s.name not in exclude:
                out.extend(s.constraints())
        out.extend(self.assumptions)
        return tuple(out)

    def select(self, ids: Sequence[str]) -> Problem:
        """The same problem with only the claims (and derivation steps) whose ids are given.

        Raises:
            UsageError: an id that names no claim.
        """
        from dataclasses import replace

        from .errors import UsageError

        known = {c.id for c in self.all_claims}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise UsageError(f"no claim with id {', '.join(map(repr, unknown))} (ids: {', '.join(sorted(known))})")
        keep = set(ids)
        return replace(self, claims=tuple(c for c in self.claims if c.id in keep),
                       derivation=tuple(st for st in self.derivation if st.id in keep))

    @property
    def all_claims(self) -> tuple[Claim, ...]:
        """Claims of the spec followed by one claim per derivation step."""
        return self.claims + tuple(step.claim for step in self.derivation)


class _Lines:
    """Finds the line of a key in TOML text (tomllib gives no positions)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str | None) -> None:
        self.lines = text.splitlines() if text else []
        self.sections: list[tuple[str, int, int]] = []  # (table, index among arrays, first line idx)
        counts: dict[str, int] = {}
        for i, line in enumerate(self.lines):
            m = self._HEADER.match(line)
            if m:
                name = m.group(2).strip()
                if m.group(1) == "[[":
                    idx = counts.get(name, 0)
                    counts[name] = idx + 1
                else:
                    idx = -1
                self.sections.append((name, idx, i))
        # (table, index) -> position in self.sections: a lookup per key keeps loading linear in the claims
        self._where = {}
        for k, (name, idx, _) in enumerate(self.sections):
            self._where.setdefault((name, idx), k)

    def _span(self, table: str | None, index: int) -> tuple[int, int] | None:
        if table is None:
            end = self.sections[0][2] if self.sections else len(self.lines)
            return 0, end
        k = self._where.get((table, index))
        if k is None:
            return None
        start = self.sections[k][2]
        end = self.sections[k + 1][2] if k + 1 < len(self.sections) else len(self.lines)
        return start, end

    def find(self, table: str | None, key: str | None = None, index: int = -1) -> int | None:
        span = self._span(table, index)
        if span is None:
            return None
        start, end = span
        if key is None:
            return start + 1
        pat = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*=")
        inline = re.compile(rf"[{{,]\s*{re.escape(key)}\s*=")
        for i in range(start, end):
            if pat.match(self.lines[i]):
                return i + 1
        for i in range(start, end):
            if inline.search(self.lines[i]):
                return i + 1
        return start + 1 if table is not None else None


class _Reader:
    def __init__(self, data: Mapping[str, Any], file: str | None, text: str | None) -> None:
        self.data = data
        self.file = file
        self.lines = _Lines(text)
        #: definedness terms of each definition (see parse.definedness_terms)
        self.def_terms: dict[str, tuple[sp.Expr, ...]] = {}

    def terms(self, text: Any, names: Mapping[str, sp.Expr]) -> tuple[sp.Expr, ...]:
        """Definedness terms of an expression text that already parsed."""
        return definedness_terms(text, names, self.def_terms)

    def err(self, message: str, key: str, table: str | None = None, sub: str | None = None,
            index: int = -1, expr: str | None = None) -> SpecError:
        line = self.lines.find(table, sub, index)
        return SpecError(message, file=self.file, key=key, line=line, expr=expr)

    def ctx(self, key: str, table: str | None, sub: str | None, index: int = -1) -> dict:
        return {"file": self.file, "key": key, "line": self.lines.find(table, sub, index)}


def _check_keys(reader: _Reader, got: Mapping[str, Any], allowed: set[str], key: str, table: str | None,
                index: int = -1) -> None:
    for k in got:
        if k not in allowed:
            raise reader.err(f"unknown key '{k}' (allowed: {', '.join(sorted(allowed))})", f"{key}.{k}",
                             table, k, index)


def _bound(reader: _Reader, value: Any, key: str, sub: str) -> sp.Expr:
    if isinstance(value, float) and not math.isfinite(value):
        raise reader.err("a bound must be finite (omit it for an unbounded side)", key, "symbols", sub)
    number = parse_number(value, **reader.ctx(key, "symbols", sub))
    if number.is_extended_real is not True:
        raise reader.err(f"a bound must be a real number, got {number}", key, "symbols", sub)
    if number.is_finite is not True:
        raise reader.err("a bound must be finite (omit it for an unbounded side)", key, "symbols", sub)
    return number


def _read_symbol(reader: _Reader, name: str, spec: Any) -> Symbol:
    key = f"symbols.{name}"
    line = reader.lines.find("symbols", name)
    if (keyword.iskeyword(name) or keyword.issoftkeyword(name)) and name not in KEYWORD_NAMES:
        raise SpecError(f"'{name}' is a reserved word of the expression syntax and cannot be a symbol name",
                        file=reader.file, key=key, line=line)
    if not _NAME_RE.match(name) or name in _RESERVED:
        raise SpecError(f"'{name}' cannot be a symbol name (letters, digits, _; not a function or constant)",
                        file=reader.file, key=key, line=line)
    if isinstance(spec, str):
        spec = {"kind": spec}
    if not isinstance(spec, Mapping):
        raise SpecError("a symbol is a table such as { kind = \"real\", min = 0 }", file=reader.file, key=key,
                        line=line)
    _check_keys(reader, spec, _SYMBOL_KEYS, key, "symbols")
    kind = spec.get("kind", "real")
    if kind not in ("real", "integer"):
        raise SpecError(f"kind must be 'real' or 'integer', got {kind!r}", file=reader.file, key=key + ".kind",
                        line=line)
    if "min" in spec and "min_open" in spec and not isinstance(spec["min_open"], bool):
        pass
    lo = hi = None
    lo_open = hi_open = False
    for side in ("min", "max"):
        closed, opened = spec.get(side), spec.get(side + "_open")
        if opened is not None and isinstance(opened, bool):
            raise SpecError(f"{side}_open takes a number (the strict bound), not a boolean", file=reader.file,
                            key=f"{key}.{side}_open", line=line)
        if closed is not None and opened is not None:
            raise SpecError(f"give {side} or {side}_open, not both", file=reader.file, key=key, line=line)
        if closed is not None or opened is not None:
            value = _bound(reader, closed if closed is not None else opened,
                           f"{key}.{side}" + ("" if closed is not None else "_open"), name)
            if side == "min":
                lo, lo_open = value, opened is not None
            else:
                hi, hi_open = value, opened is not None
    if lo is not None and hi is not None:
        if bool(lo > hi) or (bool(sp.Eq(lo, hi)) and (lo_open or hi_open)):
            raise SpecError(f"empty domain: min {lo} and max {hi}", file=reader.file, key=key, line=line)
    if kind == "integer" and lo is not None and hi is not None:
        first = sp.floor(lo) + 1 if (lo_open or not lo.is_integer) else lo
        if lo.is_integer and not lo_open:
            first = lo
        last = sp.ceiling(hi) - 1 if (hi_open or not hi.is_integer) else hi
        if hi.is_integer and not hi_open:
            last = hi
        if first > last:
            raise SpecError(f"empty domain: no integer between {lo} and {hi}", file=reader.file, key=key,
                            line=line)
    assumptions: dict[str, bool] = {"real": True, "finite": True}
    if kind == "integer":
        assumptions["integer"] = True
    if lo is not None:
        if lo > 0 or (lo == 0 and lo_open):
            assumptions["positive"] = True
        elif lo >= 0:
            assumptions["nonnegative"] = True
    if hi is not None:
        if hi < 0 or (hi == 0 and hi_open):
            assumptions["negative"] = True
        elif hi <= 0:
            assumptions["nonpositive"] = True
    latex = spec.get("latex")
    if latex is not None and not isinstance(latex, str):
        raise SpecError("latex must be a string", file=reader.file, key=key + ".latex", line=line)
    if latex is not None:  # it reaches pdfTeX verbatim: an allowlist grammar, not a blocklist (issue 12)
        from ._texname import latex_fragment_error

        why = latex_fragment_error(latex)
        if why is not None:
            raise SpecError(f"latex {why}", file=reader.file, key=key + ".latex", line=line,
                            expr=latex if len(latex) <= 80 else latex[:77] + "...")
    return Symbol(name=name, kind=kind, lo=lo, hi=hi, lo_open=lo_open, hi_open=hi_open,
                  sym=sp.Symbol(name, **assumptions), latex=latex, description=str(spec.get("description", "")),
                  line=line)


def _relations(reader: _Reader, values: Any, names: Mapping[str, sp.Expr], key: str, table: str,
               index: int = -1, sub: str = "assume") -> tuple[sp.Basic, ...]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        raise reader.err(f"'{sub}' must be a list of comparisons such as \"d >= 2\"", key, table, sub, index)
    out = []
    for k, text in enumerate(values):
        rel = parse_relation(text, names, **reader.ctx(f"{key}[{k}]", table, sub, index))
        out.extend(rel.args if isinstance(rel, sp.And) else (rel,))
    return tuple(out)


def _read_claim(reader: _Reader, raw: Any, index: int, names: Mapping[str, sp.Expr],
                symbols: Mapping[str, Symbol], seen: set[str]) -> Claim:
    key0 = f"claims[{index}]"
    if not isinstance(raw, Mapping):
        raise reader.err("each [[claims]] entry must be a table", key0, "claims", None, index)
    _check_keys(reader, raw, _CLAIM_KEYS, key0, "claims", index)
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise reader.err("every claim needs a non-empty string 'id'", f"{key0}.id", "claims", "id", index)
    if cid in seen:
        raise reader.err(f"duplicate claim id '{cid}'", f"{key0}.id", "claims", "id", index)
    seen.add(cid)
    kind = raw.get("kind")
    if kind not in CLAIM_KINDS:
        raise reader.err(f"kind must be one of {', '.join(CLAIM_KINDS)}; got {kind!r}", f"{key0}.kind", "claims",
                         "kind", index)
    need = {"expr"} if kind in ("nonnegative", "positive") else (
        {"lhs", "rhs"} if kind in ("le", "lt", "eq") else (
            {"lhs", "rhs", "var"} if kind == "threshold" else ({"expr", "var"} if kind == "optimum" else (
            {"expr", "var", "at", "value"} if kind == "limit" else (
                {"expr", "var", "value"} if kind == "exponent" else {"expr", "var"})))))
    for k in sorted(need):
        if k not in raw:
            raise reader.err(f"a '{kind}' claim needs '{k}'", f"{key0}.{k}", "claims", None, index)
    unused = {"expr", "lhs", "rhs", "var", "at", "value"} - need - (
        {"value"} if kind in ("threshold", "optimum") else set())
    unused |= {k for k, kinds in _KIND_KEYS.items() if kind not in kinds}
    for k in sorted(unused):
        if k in raw:
            raise reader.err(f"a '{kind}' claim does not take '{k}'", f"{key0}.{k}", "claims", k, index)
    fields: dict[str, Any] = {}
    texts = []
    defined: list[sp.Expr] = []
    for k in ("expr", "lhs", "rhs"):
        if k in raw:
            fields[k] = parse_expr(raw[k], names, **reader.ctx(f"{key0}.{k}", "claims", k, index))
            texts.append((k, str(raw[k])))
            defined.extend(reader.terms(raw[k], names))
    fields["defined"] = tuple(dict.fromkeys(defined))
    if "var" in raw:
        var = raw["var"]
        if not isinstance(var, str) or var not in symbols:
            raise reader.err(f"'var' must name a symbol of [symbols]; got {var!r}", f"{key0}.var", "claims", "var",
                             index)
        fields["var"] = var
        texts.append(("var", var))
    if "at" in raw:
        fields["at"] = parse_number(raw["at"], **reader.ctx(f"{key0}.at", "claims", "at", index))
        texts.append(("at", str(raw["at"])))
    if "value" in raw:
        fields["value"] = parse_expr(raw["value"], names, **reader.ctx(f"{key0}.value", "claims", "value", index))
        texts.append(("value", str(raw["value"])))
    fields.update(_referee_fields(reader, raw, key0, index, names, symbols, texts))
    assume = _relations(reader, raw.get("assume", []), names, f"{key0}.assume", "claims", index)
    texts.extend(("assume", str(a)) for a in (raw.get("assume") or []) if isinstance(raw.get("assume"), list))
    expect = raw.get("expect")
    if expect is not None and expect not in EXPECTS:
        raise reader.err(f"expect must be one of {', '.join(EXPECTS)}; got {expect!r}", f"{key0}.expect", "claims",
                         "expect", index)
    timeout = raw.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not math.isfinite(timeout) or timeout <= 0):
        raise reader.err("timeout must be a finite positive number of seconds", f"{key0}.timeout", "claims", "timeout",
                         index)
    return Claim(id=cid, kind=kind, assume=assume, expect=expect, description=str(raw.get("description", "")),
                 texts=tuple(texts), timeout=timeout, line=reader.lines.find("claims", None, index), **fields)


def _referee_fields(reader: _Reader, raw: Mapping[str, Any], key0: str, index: int, names: Mapping[str, sp.Expr],
                    symbols: Mapping[str, Symbol], texts: list) -> dict[str, Any]:
    """The keys of exponent (log_power, soft), threshold (rel, given) and optimum (along, exponent, factor)."""
    out: dict[str, Any] = {}
    for k in ("log_power", "exponent", "factor"):
        if k in raw:
            out[k] = parse_expr(raw[k], names, **reader.ctx(f"{key0}.{k}", "claims", k, index))
            texts.append((k, str(raw[k])))
    if "soft" in raw:
        if not isinstance(raw["soft"], bool):
            raise reader.err("soft must be true or false", f"{key0}.soft", "claims", "soft", index)
        out["soft"] = raw["soft"]
    if raw.get("kind") == "threshold":
        rel = raw.get("rel", "<=")
        if rel not in ("<=", "<", ">=", ">"):
            raise reader.err(f"rel must be one of <=, <, >=, >; got {rel!r}", f"{key0}.rel", "claims", "rel", index)
        out["rel"] = rel
        given = raw.get("given", {})
        if not isinstance(given, Mapping):
            raise reader.err("given must be a table such as { h = 11, delta = \"1/20\" }", f"{key0}.given", "claims",
                             "given", index)
        pairs = []
        for name, v in given.items():
            if name not in symbols or name == raw.get("var"):
                raise reader.err(f"given: {name!r} is not a symbol other than the claim's var", f"{key0}.given",
                                 "claims", "given", index)
            value = parse_number(v, **reader.ctx(f"{key0}.given.{name}", "claims", "given", index))
            if not symbols[name].contains(value):
                raise reader.err(f"given: {name} = {value} is outside its domain ({symbols[name].describe()})",
                                 f"{key0}.given.{name}", "claims", "given", index)
            pairs.append((name, value))
        out["given"] = tuple(pairs)
    if "along" in raw:
        along = raw["along"]
        if not isinstance(along, str) or along not in symbols or along == raw.get("var"):
            raise reader.err(f"'along' must name a symbol other than 'var'; got {along!r}", f"{key0}.along", "claims",
                             "along", index)
        out["along"] = along
        texts.append(("along", along))
    return out


def _read_step(reader: _Reader, raw: Any, index: int, names: Mapping[str, sp.Expr], prev_rhs: str | None,
               seen: set[str]) -> Step:
    key0 = f"derivation[{index}]"
    if not isinstance(raw, Mapping):
        raise reader.err("each [[derivation]] entry must be a table", key0, "derivation", None, index)
    _check_keys(reader, raw, _STEP_KEYS, key0, "derivation", index)
    sid = raw.get("id", f"step-{index + 1}")
    if not isinstance(sid, str) or not sid.strip():
        raise reader.err("'id' must be a non-empty string", f"{key0}.id", "derivation", "id", index)
    sid = f"derivation:{sid}"
    if sid in seen:
        raise reader.err(f"duplicate step id '{sid}'", f"{key0}.id", "derivation", "id", index)
    seen.add(sid)
    lhs_text = raw.get("lhs", prev_rhs)
    if lhs_text is None:
        raise reader.err("the first derivation step needs 'lhs'", f"{key0}.lhs", "derivation", None, index)
    for k in ("rhs",):
        if k not in raw:
            raise reader.err(f"a derivation step needs '{k}'", f"{key0}.{k}", "derivation", None, index)
    rel = raw.get("rel", "<=")
    if rel not in RELATIONS:
        raise reader.err(f"rel must be one of {', '.join(RELATIONS)}; got {rel!r}", f"{key0}.rel", "derivation",
                         "rel", index)
    lhs = parse_expr(lhs_text, names, **reader.ctx(f"{key0}.lhs", "derivation", "lhs", index))
    rhs = parse_expr(raw["rhs"], names, **reader.ctx(f"{key0}.rhs", "derivation", "rhs", index))
    rule = raw.get("rule", "algebra")
    if not isinstance(rule, str):
        raise reader.err("rule must be a string", f"{key0}.rule", "derivation", "rule", index)
    using_raw = raw.get("using", [])
    if isinstance(using_raw, str):
        using_raw = [using_raw]
    using = _relations(reader, using_raw, names, f"{key0}.using", "derivation", index, sub="using")
    assume = _relations(reader, raw.get("assume", []), names, f"{key0}.assume", "derivation", index)
    kind = RELATIONS[rel]
    if kind in ("ge", "gt"):
        lhs, rhs = rhs, lhs
        kind = "le" if kind == "ge" else "lt"
    expect = raw.get("expect")
    if expect is not None and expect not in EXPECTS:
        raise reader.err(f"expect must be one of {', '.join(EXPECTS)}", f"{key0}.expect", "derivation", "expect",
                         index)
    texts = (("lhs", str(lhs_text)), ("rel", rel), ("rhs", str(raw["rhs"])))
    defined = tuple(dict.fromkeys(reader.terms(lhs_text, names) + reader.terms(raw["rhs"], names)))
    claim = Claim(id=sid, kind=kind, lhs=lhs, rhs=rhs, assume=using + assume, expect=expect, defined=defined,
                  description=str(raw.get("description", "")), texts=texts, source="derivation", rule=rule,
                  line=reader.lines.find("derivation", None, index))
    return Step(id=sid, lhs_text=str(lhs_text), rel=rel, rhs_text=str(raw["rhs"]), rule=rule,
                using=tuple(str(u) for u in using_raw), claim=claim, description=str(raw.get("description", "")))


def _names_in(text: object) -> set[str]:
    """The names an expression text uses (empty when it does not parse: the parser reports that)."""
    import ast

    if not isinstance(text, str) or len(text) > 5000:
        return set()
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _cycle(start: str, uses: Mapping[str, set[str]], done: set[str]) -> list[str] | None:
    """A path start -> ... -> start through definitions not yet read, or None."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(uses.get(node, ())):
            if nxt == start:
                return path + [start]
            if nxt in uses and nxt not in done and nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def problem_from_dict(data: Mapping[str, Any], *, file: str | None = None, text: str | None = None) -> Problem:
    """Build a Problem from the dictionary form of a spec (what ``tomllib`` returns).

    This is also the way to state a bound in code: pass the same structure as the TOML file.

    Raises:
        SpecError: with file, key and line, for anything malformed.
    """
    reader = _Reader(data, file, text)
    if not isinstance(data, Mapping):
        raise SpecError("a spec is a table", file=file)
    _check_keys(reader, data, _TOP_KEYS, "", None)
    version = data.get("version", 1)
    if isinstance(version, bool) or version not in (1, "1"):
        raise reader.err(f"version {version!r} is not supported (this boundcheck reads spec format version 1)",
                         "version", None, "version")
    name = data.get("name", Path(file).stem if file else "bound")
    title = data.get("title", name)
    if not isinstance(name, str) or not isinstance(title, str):
        raise reader.err("name and title must be strings", "name", None, "name")
    sym_table = data.get("symbols")
    if not isinstance(sym_table, Mapping) or not sym_table:
        raise reader.err("a spec needs a non-empty [symbols] table", "symbols", "symbols")
    symbols = tuple(_read_symbol(reader, k, v) for k, v in sym_table.items())
    names: dict[str, sp.Expr] = {s.name: s.sym for s in symbols}
    placeholders: dict[str, sp.Expr] = dict(names)
    definitions = []
    defs = data.get("definitions", {})
    if not isinstance(defs, Mapping):
        raise reader.err("[definitions] must be a table of name = \"expression\"", "definitions", "definitions")
    uses = {k: _names_in(v) for k, v in defs.items()}
    for dname, dtext in defs.items():
        key = f"definitions.{dname}"
        ctx = reader.ctx(key, "definitions", dname)
        later = sorted(n for n in uses[dname] if n in defs and n not in names)
        if later:
            cycle = _cycle(dname, uses, set(names))
            if cycle:
                raise SpecError("definition cycle: " + " -> ".join(cycle), **ctx)
            raise SpecError(f"'{later[0]}' is defined after '{dname}'; definitions are ordered: move it up", **ctx)
        if not _NAME_RE.match(dname) or dname in _RESERVED:
            raise SpecError(f"'{dname}' cannot be a definition name", **ctx)
        if dname in names:
            raise SpecError(f"'{dname}' is already a symbol or definition", **ctx)
        expanded = parse_expr(dtext, names, **ctx)
        display = parse_expr(dtext, placeholders, **ctx)
        ph = sp.Symbol(dname)
        dterms = reader.terms(dtext, names)
        reader.def_terms[dname] = dterms
        definitions.append(Definition(name=dname, text=str(dtext), expr=display, expanded=expanded, placeholder=ph,
                                      line=ctx["line"], defined=dterms))
        names[dname] = expanded
        placeholders[dname] = ph
    assumptions = _relations(reader, data.get("assumptions", []), names, "assumptions", None, sub="assumptions")
    symmap = {s.name: s for s in symbols}
    claims_raw = data.get("claims", [])
    if not isinstance(claims_raw, list):
        raise reader.err("claims must be an array of tables ([[claims]])", "claims", None, "claims")
    seen: set[str] = set()
    claims = tuple(_read_claim(reader, c, i, names, symmap, seen) for i, c in enumerate(claims_raw))
    steps = []
    prev = None
    deriv_raw = data.get("derivation", [])
    if not isinstance(deriv_raw, list):
        raise reader.err("derivation must be an array of tables ([[derivation]])", "derivation", None, "derivation")
    for i, raw in enumerate(deriv_raw):
        step = _read_step(reader, raw, i, names, prev, seen)
        steps.append(step)
        prev = step.rhs_text
    stress = data.get("stress")
    if stress is not None and not isinstance(stress, Mapping):
        raise reader.err("[stress] must be a table", "stress", "stress")
    return Problem(name=name, title=title, symbols=symbols, definitions=tuple(definitions), claims=claims,
                   derivation=tuple(steps), description=str(data.get("description", "")), assumptions=assumptions,
                   stress=stress, path=file, raw=data)


def parse_toml(text: str, *, file: str | None = None) -> dict[str, Any]:
    """TOML text -> dict, a SpecError naming the file and line on malformed input (specs and conjectures).

    Raises:
        SpecError: not valid TOML.
    """
    try:
        data = tomllib.loads(text)
    except RecursionError as err:
        raise SpecError("not valid TOML: nested too deeply", file=file) from err
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"line (\d+)", str(err))
        line = int(m.group(1)) if m else (max(1, len(text.splitlines())) if "end of document" in str(err) else None)
        raise SpecError(f"not valid TOML: {err}", file=file, line=line) from err
    check_text_tree(data, file=file)
    return data


#: Characters no text of a file may hold: C0 controls but tab, newline and carriage return, DEL, C1
#: controls, and the bidirectional overrides (they reach terminals and reorder what a reader sees).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Deepest nesting of tables and arrays in a spec, conjecture or artifact.
MAX_NESTING = 32


def check_text_tree(data: Any, *, file: str | None = None) -> None:
    """Every key and string of parsed TOML or JSON is free of control characters; nesting <= MAX_NESTING.

    Raises:
        SpecError: naming the key that holds the character or that nests too deeply.
    """
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, key, depth = stack.pop()
        if depth > MAX_NESTING:
            raise SpecError(f"nested deeper than {MAX_NESTING} levels", file=file, key=key or None)
        if isinstance(node, str):
            m = _CONTROL_RE.search(node)
            if m:
                raise SpecError(f"control character U+{ord(m.group()):04X} in a string (not allowed in a file "
                                "boundcheck reads)", file=file, key=key or None)
        elif isinstance(node, Mapping):
            for k, v in node.items():
                sub = f"{key}.{k}" if key else str(k)
                if _CONTROL_RE.search(str(k)):
                    raise SpecError("control character in a key", file=file, key=_CONTROL_RE.sub("?", sub))
                stack.append((v, sub, depth + 1))
        elif isinstance(node, list):
            stack.extend((v, f"{key}[{i}]", depth + 1) for i, v in enumerate(node))


def read_text_file(path: str | Path, what: str = "spec") -> str:
    """The UTF-8 text of a file (``-``: standard input), a SpecError naming it when it cannot be read.

    Regular files only, at most :data:`boundcheck._paths.MAX_TEXT_BYTES` (the path policy).
    """
    from ._paths import read_text

    return read_text(path, what)


def loads(text: str, *, file: str | None = None) -> Problem:
    """Parse spec text (TOML).

    Raises:
        SpecError: malformed TOML or spec, naming the file, key and line.
    """
    return problem_from_dict(parse_toml(text, file=file), file=file, text=text)


def load(path: str | Path) -> Problem:
    """Read a spec file.

    Raises:
        SpecError: the file is missing, unreadable or malformed.
    """
    return loads(read_text_file(path, "spec"), file=str(path))
