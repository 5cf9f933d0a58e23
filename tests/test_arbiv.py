"""The interval arithmetic of the branch-and-bound rung (``prove/_arbiv.py``): enclosures contain the values.

Each case is an expression and a box (finite or with infinite ends); the enclosure must contain the exact
value of the expression at every defined point of a grid over the box (large finite points stand for the
infinite ends), lie inside an outer interval known by hand, and say "defined and smooth" only where it is.
"""

from __future__ import annotations

import itertools

import pytest
import sympy as sp

from boundcheck.prove._arbiv import INF, compile_expr, from_rational, is_inf, to_fraction

x, y = sp.symbols("x y", real=True)
R = sp.Rational
oo = sp.oo

# (expression, {symbol: (lo, hi)}, outer interval the enclosure lies in, defined-and-smooth on the box?)
CASES = [
    (x ** 3, {x: (-oo, 1)}, (-oo, R(101, 100)), True),
    (x ** 3, {x: (1, oo)}, (R(99, 100), oo), True),
    (x ** 3, {x: (-2, 3)}, (-8, 27), True),
    (x ** 2, {x: (-oo, -1)}, (R(99, 100), oo), True),
    (x ** 2, {x: (-2, 3)}, (0, 9), True),
    (x ** 4, {x: (-3, -1)}, (1, 81), True),
    (x ** 2, {x: (-oo, oo)}, (0, oo), True),
    (1 / x, {x: (0, 2)}, (R(49, 100), oo), False),
    (1 / x, {x: (-2, 0)}, (-oo, -R(49, 100)), False),
    (1 / x, {x: (1, 4)}, (R(24, 100), R(101, 100)), True),
    (1 / x, {x: (-1, 1)}, (-oo, oo), False),
    (1 / x ** 2, {x: (1, oo)}, (0, R(101, 100)), True),
    (sp.sqrt(x), {x: (0, 4)}, (0, R(201, 100)), False),
    (sp.sqrt(x), {x: (1, oo)}, (R(99, 100), oo), True),
    (x ** R(-1, 2), {x: (R(1, 4), 4)}, (R(49, 100), R(201, 100)), True),
    (x ** R(-1, 2), {x: (0, 4)}, (R(49, 100), oo), False),
    (x ** R(3, 2), {x: (1, 4)}, (R(99, 100), R(801, 100)), True),
    (sp.log(x), {x: (R(1, 2), 2)}, (-R(70, 100), R(70, 100)), True),
    (sp.log(x), {x: (0, 2)}, (-oo, R(70, 100)), False),
    (sp.log(x), {x: (1, oo)}, (-R(1, 100), oo), True),
    (sp.exp(x), {x: (-oo, 1)}, (0, R(272, 100)), True),
    (sp.exp(-x), {x: (0, oo)}, (0, R(101, 100)), True),
    (sp.Abs(x), {x: (-2, 1)}, (0, R(201, 100)), False),
    (sp.Abs(x), {x: (-3, -1)}, (R(99, 100), R(301, 100)), False),
    (sp.Abs(x), {x: (1, 3)}, (R(99, 100), R(301, 100)), False),
    (sp.Max(x, y), {x: (-1, 2), y: (0, 3)}, (-R(1, 100), R(301, 100)), False),
    (sp.Min(x, y), {x: (-1, 2), y: (0, 3)}, (-R(101, 100), R(201, 100)), False),
    (x * y, {x: (-1, 2), y: (-3, 1)}, (-R(601, 100), R(301, 100)), True),
    (x * y, {x: (1, 2), y: (-3, -1)}, (-R(601, 100), -R(99, 100)), True),
    (x * y, {x: (-2, -1), y: (-3, -1)}, (R(99, 100), R(601, 100)), True),
    (x * y, {x: (-2, -1), y: (1, 3)}, (-R(601, 100), -R(99, 100)), True),
    (x * y, {x: (0, oo), y: (-1, 1)}, (-oo, oo), True),
    (x * y, {x: (1, oo), y: (1, 2)}, (R(99, 100), oo), True),
    (x + y, {x: (-oo, 1), y: (2, 3)}, (-oo, R(401, 100)), True),
    (x - 2 * y, {x: (0, 1), y: (2, oo)}, (-oo, -R(299, 100)), True),
    (x * sp.log(x) - x ** 2 + 3, {x: (R(1, 2), 3)}, None, True),
]


def _interval(lo, hi):
    a = -INF if lo == -oo else from_rational(R(lo))[0]
    b = INF if hi == oo else from_rational(R(hi))[1]
    return (a, b)


def _grid(lo, hi):
    lo_f = R(-1000) if lo == -oo else R(lo)
    hi_f = R(1000) if hi == oo else R(hi)
    pts = [lo_f + (hi_f - lo_f) * R(k, 8) for k in range(9)]
    if lo == -oo:
        pts.insert(0, R(-10 ** 6))
    if hi == oo:
        pts.append(R(10 ** 6))
    return pts


def _exact(end) -> sp.Rational:
    return sp.Rational(to_fraction(end))


@pytest.mark.parametrize("expr, box, outer, smooth", CASES,
                         ids=[f"{i}-{e}-{list(b.values())}" for i, (e, b, _, _) in enumerate(CASES)])
def test_enclosure_contains_values_and_lies_inside_the_outer_interval(expr, box, outer, smooth):
    (lo, hi), defined = compile_expr(expr)({s: _interval(*b) for s, b in box.items()})
    assert (not is_inf(lo) or lo == -INF) and (not is_inf(hi) or hi == INF), (lo, hi)
    checked = 0
    for point in itertools.product(*(_grid(*b) for b in box.values())):
        value = expr.subs(dict(zip(box, point)))
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not value.is_real:
            continue
        assert is_inf(lo) or bool(value >= _exact(lo)), (expr, point, lo)
        assert is_inf(hi) or bool(value <= _exact(hi)), (expr, point, hi)
        checked += 1
    assert checked >= 5
    if outer is not None:
        o_lo, o_hi = outer
        assert (lo == -INF) if o_lo == -oo else (not is_inf(lo) and _exact(lo) >= o_lo), (lo, outer)
        assert (hi == INF) if o_hi == oo else (not is_inf(hi) and _exact(hi) <= o_hi), (hi, outer)
    assert defined == smooth, (expr, defined)
