"""Recording the sign calculus (layer 3): which facts each sign or monotonicity fact was derived from.

:class:`RecordingCalculus` is the calculus itself (a subclass), noting for every ``sign`` and ``monotone``
call the calls it made (its premises) and whether the interval enclosure sharpened the result of the rules;
:func:`sign_step` and :func:`monotone_step` turn that record into :class:`boundcheck.prove.proof.Step` trees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .calculus import ANY, Box, Calculus
from .proof import Step, sign_key

__all__ = ["RecordingCalculus", "sign_step", "monotone_step", "box_data"]


def _srepr(e) -> str:
    return sp.srepr(e)


def box_data(box: Box) -> tuple[tuple[str, str], ...]:
    out = []
    for s, b in sorted(box.bounds.items(), key=lambda kv: str(kv[0])):
        lo = sp.S.NegativeInfinity if b.lo is None else b.lo
        hi = sp.oo if b.hi is None else b.hi
        out.append((str(s), _srepr(sp.Tuple(lo, hi, sp.true if b.lo_open else sp.false,
                                            sp.true if b.hi_open else sp.false))))
    return tuple(out)


@dataclass
class _Node:
    kind: str  # "s" sign, "m" monotone
    expr: sp.Expr
    var: sp.Symbol | None = None
    result: frozenset | None = None
    rules: frozenset | None = None
    enclosure: tuple[str, str] | None = None
    children: list[_Node] = field(default_factory=list)


class RecordingCalculus(Calculus):
    """The sign calculus, noting which sign/monotonicity facts each fact was derived from."""

    def __init__(self, box: Box) -> None:
        super().__init__(box)
        self._nodes: dict[tuple, _Node] = {}
        self._stack: list[_Node | None] = []

    def _attach(self, node: _Node) -> None:
        if self._stack and self._stack[-1] is not None and node not in self._stack:
            parent = self._stack[-1]
            if all(c is not node for c in parent.children):
                parent.children.append(node)

    def sign(self, e: sp.Expr) -> frozenset:
        key = ("s", e)
        node = self._nodes.get(key)
        if node is not None:
            self._attach(node)
            return super().sign(e)
        node = _Node("s", e)
        self._nodes[key] = node
        self._attach(node)
        self._stack.append(node)
        try:
            out = super().sign(e)
        finally:
            self._stack.pop()
        node.result = out
        if node.rules is not None and node.rules != out:
            enc = self.enclose(e)
            node.enclosure = (_exact(enc.a), _exact(enc.b))
        return out

    def _sign_rules(self, e: sp.Expr) -> frozenset:
        out = super()._sign_rules(e)
        node = self._nodes.get(("s", e))
        if node is not None:
            node.rules = out
        return out

    def enclose(self, e: sp.Expr):
        # sign calls made while enclosing are not premises of the rule being recorded
        self._stack.append(None)
        try:
            return super().enclose(e)
        finally:
            self._stack.pop()

    def monotone(self, e: sp.Expr, x: sp.Symbol) -> frozenset:
        key = ("m", e, x)
        node = self._nodes.get(key)
        if node is not None and node.result is not None:
            self._attach(node)
            return node.result
        node = _Node("m", e, x)
        self._nodes[key] = node
        self._attach(node)
        self._stack.append(node)
        try:
            out = super().monotone(e, x)
        finally:
            self._stack.pop()
        node.result = out
        return out

    def step(self, e: sp.Expr, x: sp.Symbol | None = None) -> Step:
        """The recorded derivation of ``sign(e)`` (``monotone(e, x)`` when ``x`` is given) as a Step tree."""
        node = self._nodes.get(("m", e, x) if x is not None else ("s", e))
        if node is None:
            if x is None:
                self.sign(e)
            else:
                self.monotone(e, x)
            node = self._nodes[("m", e, x) if x is not None else ("s", e)]
        return _to_step(node, set())


def _exact(end) -> str:
    """srepr of an interval end point as an exact number (mpmath's binary float, converted exactly)."""
    import mpmath

    # the end's own bits (mpmath.mpf(end) would round it to nearest at 53 bits, inside the enclosure)
    sign, man, exp, _ = end._mpi_[0] if hasattr(end, "_mpi_") else mpmath.mpf(end)._mpf_
    if not man:
        if exp == 0:
            return sp.srepr(sp.Integer(0))
        return sp.srepr(sp.S.NegativeInfinity if sign else sp.oo)
    man = -man if sign else man
    if abs(exp) > 14_000:  # 2**exp would print as more digits than Python converts by default (4,300)
        return sp.srepr(sp.Mul(sp.Integer(man), sp.Pow(sp.Integer(2), sp.Integer(exp), evaluate=False),
                               evaluate=False))
    return sp.srepr(sp.Integer(man) * sp.Integer(2) ** exp)


def _rule_name(e: sp.Expr) -> str:
    if e.is_Number or e in (sp.pi, sp.E) or (e.is_number and not e.free_symbols and e.is_Atom):
        return "number"
    if e.is_Symbol:
        return "symbol"
    if e.is_Add:
        return "sum"
    if e.is_Mul:
        return "product"
    if e.is_Pow:
        return "power"
    return type(e).__name__.lower()


def _to_step(node: _Node, seen: set[int]) -> Step:
    seen = seen | {id(node)}
    kids = tuple(_to_step(c, seen) for c in node.children if id(c) not in seen and c.result is not None)
    mono = node.kind == "m"
    rule = _rule_name(node.expr)
    data: tuple[tuple[str, str], ...] = ()
    if not mono and node.enclosure is not None:
        rule = "enclosure"
        data = (("lo", node.enclosure[0]), ("hi", node.enclosure[1]), ("rules", sign_key(node.rules or ANY)))
    return Step(rule=("monotone-" + rule) if mono else rule, expr=_srepr(node.expr),
                result=sign_key(node.result if node.result is not None else ANY, mono),
                var=str(node.var) if node.var is not None else "", data=data, children=kids)


def sign_step(box: Box, e: sp.Expr) -> Step:
    """The calculus' derivation of the sign of ``e`` on ``box``."""
    return RecordingCalculus(box).step(e)


def monotone_step(box: Box, e: sp.Expr, x: sp.Symbol) -> Step:
    """The calculus' derivation of the monotonicity of ``e`` in ``x`` on ``box``."""
    return RecordingCalculus(box).step(e, x)
