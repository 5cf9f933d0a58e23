"""Proof objects (layer 3): the steps a rung took, kept in the Verdict and the JSON.

A :class:`Proof` is a tree of :class:`Step` records. Each step names its rule, the sub-expression it is
about (stored as ``sympy.srepr`` text, so it survives JSON exactly), the sign or monotonicity obtained and
its premises (the child steps). Sentences of non-calculus steps are templates whose ``{key}`` fields refer
to mathematical objects in ``data`` (also srepr), so the report typesets them with ``sympy.latex`` and the
terminal prints them as text: the report and the re-checker render or replay what the rung stored and
never re-derive it.

The sign calculus records its own rule applications through
:class:`boundcheck.prove._record.RecordingCalculus`. This module imports no prover code: the re-checker
(:mod:`boundcheck.recheck`) reads proofs through it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

# the sign sets of :mod:`boundcheck.prove.calculus`, spelled out so this module (read by the re-checker)
# does not import the prover
POS, NEG, ZERO = frozenset({1}), frozenset({-1}), frozenset({0})
NONNEG, NONPOS, ANY = frozenset({0, 1}), frozenset({-1, 0}), frozenset({-1, 0, 1})

__all__ = ["Step", "Proof", "SIGN_KEYS", "MONO_KEYS", "sign_key", "sign_from_key", "claim_fingerprint", "expr_of",
           "text_step"]

#: stored names of sign sets (``sign`` steps) and of monotonicity sets (``monotone`` steps)
SIGN_KEYS = {POS: "pos", NONNEG: "nonneg", NEG: "neg", NONPOS: "nonpos", ZERO: "zero", ANY: "any",
             frozenset({-1, 1}): "nonzero"}
MONO_KEYS = {POS: "increasing", NONNEG: "nondecreasing", NEG: "decreasing", NONPOS: "nonincreasing",
             ZERO: "constant", ANY: "any", frozenset({-1, 1}): "nonconstant"}


def sign_key(s: frozenset, mono: bool = False) -> str:
    return (MONO_KEYS if mono else SIGN_KEYS).get(frozenset(s), "any")


def sign_from_key(key: str) -> frozenset:
    for table in (SIGN_KEYS, MONO_KEYS):
        for s, k in table.items():
            if k == key:
                return s
    raise ValueError(f"unknown sign {key!r}")


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a proof.

    Attributes:
        rule: the rule applied (``sum``, ``product``, ``power``, ``log``, ``exp``, ``symbol``, ``number``,
            ``enclosure``, ``derivative``, ``case``, ``smt``, ... ; see docs/latex.md).
        expr: the sub-expression the step is about, as ``sympy.srepr`` (empty for statements).
        result: what the step obtains: a sign key (``pos``, ``nonneg``, ...) for rule steps of the
            calculus, a monotonicity key (``increasing``, ...) for ``monotone`` steps, else empty.
        var: the variable of a monotonicity step.
        text: a sentence; ``{key}`` fields name entries of ``data`` (typeset as mathematics).
        data: (key, srepr) pairs: the mathematical objects the sentence and the re-checker use.
        children: the premises.
    """

    rule: str
    expr: str = ""
    result: str = ""
    var: str = ""
    text: str = ""
    data: tuple[tuple[str, str], ...] = ()
    children: tuple[Step, ...] = ()

    @property
    def sympy(self) -> sp.Expr | None:
        return expr_of(self.expr) if self.expr else None

    def get(self, key: str) -> Any:
        for k, v in self.data:
            if k == key:
                return expr_of(v)
        raise KeyError(key)

    def to_dict(self) -> dict:
        out: dict = {"rule": self.rule}
        for k in ("expr", "result", "var", "text"):
            if getattr(self, k):
                out[k] = getattr(self, k)
        if self.data:
            out["data"] = {k: v for k, v in self.data}
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out

    @classmethod
    def from_dict(cls, d: Mapping) -> Step:
        return cls(rule=str(d["rule"]), expr=str(d.get("expr", "")), result=str(d.get("result", "")),
                   var=str(d.get("var", "")), text=str(d.get("text", "")),
                   data=tuple((str(k), str(v)) for k, v in (d.get("data") or {}).items()),
                   children=tuple(cls.from_dict(c) for c in d.get("children") or ()))

    def walk(self) -> Iterable[Step]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True, slots=True)
class Proof:
    """The proof of one claim: the method, the claim it was written for and its steps.

    Attributes:
        method: the rung (``calculus``, ``derivative``, ``smt``, ``asymptotic``, ``symbolic``, ...).
        claim: the fingerprint of the claim (:func:`claim_fingerprint`), tying the proof to its claim.
        goal: srepr of the quantity whose sign the proof establishes (``rhs - lhs`` for ``le``), if any.
        box: (symbol, srepr of ``(lo, hi, lo_open, hi_open)``) pairs: the domain the calculus reasoned over.
        steps: the top-level steps, in reading order.
    """

    method: str
    claim: str = ""
    goal: str = ""
    box: tuple[tuple[str, str], ...] = ()
    steps: tuple[Step, ...] = ()

    def to_dict(self) -> dict:
        out: dict = {"method": self.method, "claim": self.claim, "steps": [s.to_dict() for s in self.steps]}
        if self.goal:
            out["goal"] = self.goal
        if self.box:
            out["box"] = {k: v for k, v in self.box}
        return out

    @classmethod
    def from_dict(cls, d: Mapping) -> Proof:
        return cls(method=str(d["method"]), claim=str(d.get("claim", "")), goal=str(d.get("goal", "")),
                   box=tuple((str(k), str(v)) for k, v in (d.get("box") or {}).items()),
                   steps=tuple(Step.from_dict(s) for s in d.get("steps") or ()))


# ---------------------------------------------------------------------------------------------- srepr
_SREPR_NAMES = {name: getattr(sp, name) for name in dir(sp) if not name.startswith("_")}


def expr_of(text: str) -> Any:
    """Rebuild a stored sympy object from its srepr (a restricted reader: sympy constructors only).

    Raises:
        ValueError: the text is not an srepr of sympy constructors and literals.
    """
    import ast

    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise ValueError(f"not a stored expression: {text[:80]!r}") from err

    def build(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, str, bool, float, type(None))):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -build(node.operand)
        if isinstance(node, ast.Tuple):
            return tuple(build(e) for e in node.elts)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SREPR_NAMES:
            fn = _SREPR_NAMES[node.func.id]
            if not (isinstance(fn, type) and issubclass(fn, sp.Basic)) and node.func.id not in (
                    "Symbol", "Integer", "Rational", "Float", "Dummy"):
                raise ValueError(f"not a sympy constructor: {node.func.id}")
            args = [build(a) for a in node.args]
            kw = {k.arg: build(k.value) for k in node.keywords if k.arg}
            return fn(*args, **kw)
        if isinstance(node, ast.Name) and node.id in _SREPR_NAMES and isinstance(
                _SREPR_NAMES[node.id], sp.Basic):
            return _SREPR_NAMES[node.id]
        raise ValueError(f"not a stored expression: {ast.dump(node)[:80]}")

    return build(tree.body)


def _srepr(e: Any) -> str:
    return sp.srepr(e)


def _canonical(e: Any) -> str:
    """Text of an expression that does not depend on the order its arguments happen to be stored in (sympy's
    cache may hand back an equal expression built in another order): the printer's lexicographic order."""
    return sp.sstr(e, order="lex")


def claim_fingerprint(problem: Any, claim: Any) -> str:
    """A hash of the claim (kind, expressions, variable), the domains of the spec's symbols and the
    assumptions: a certificate written for one claim does not fit another."""
    parts: dict[str, Any] = {"id": claim.id, "kind": claim.kind, "var": claim.var}
    for k in ("expr", "lhs", "rhs", "at", "value"):
        v = getattr(claim, k)
        parts[k] = None if v is None else _canonical(v)
    parts["assume"] = [_canonical(a) for a in claim.assume]
    parts["assumptions"] = [_canonical(a) for a in problem.assumptions]
    parts["symbols"] = [[s.name, s.kind, None if s.lo is None else _canonical(s.lo),
                         None if s.hi is None else _canonical(s.hi), bool(s.lo_open), bool(s.hi_open)]
                        for s in problem.symbols]
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_step(rule: str, text: str, children: Iterable[Step] = (), **data: Any) -> Step:
    """A statement step: a sentence with ``{key}`` fields for the mathematical objects in ``data``."""
    return Step(rule=rule, text=text, data=tuple((k, _srepr(v)) for k, v in data.items()),
                children=tuple(children))


