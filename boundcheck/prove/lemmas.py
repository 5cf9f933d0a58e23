"""Named lemmas behind the flagship derivation, proved by z3 for symbolic parameters.

The covering lemma of the 1-D grid: for every integer ``n >= 1`` and every ``z`` in ``[0, 1]`` there is an
integer ``i`` in ``1..n`` with ``|z - (2i - 1)/(2n)| <= 1/(2n)``: the n midpoints of a uniform grid cover
``[0, 1]`` within radius ``1/(2n)``. The existential is discharged with an explicit choice,
``i = max(1, ceil(n z))``, so each obligation is quantifier-free; two obligations are written:

1. the choice is an integer in ``1..n`` with ``i - 1 <= n z <= i``;
2. any such ``i`` is within ``1/(2n)`` of ``z``.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

__all__ = ["Lemma", "grid_covering_1d"]


@dataclass(frozen=True)
class Lemma:
    """A lemma with its SMT-LIB2 obligations; proved when every obligation is unsat."""

    name: str
    statement: str
    obligations: tuple[tuple[str, str], ...]  # (label, SMT-LIB2 text)
    results: tuple[str, ...]

    @property
    def proved(self) -> bool:
        return all(r == "unsat" for r in self.results)


def grid_covering_1d(timeout: float = 10.0, radius_denominator: int = 2) -> Lemma:
    """Prove the 1-D grid covering lemma for symbolic n with z3.

    Args:
        timeout: z3 timeout per obligation, seconds.
        radius_denominator: k in the radius 1/(k n); 2 is the true lemma, larger k a false mutant.
    """
    ctx = z3.Context()
    n = z3.Int("n", ctx)
    z = z3.Real("z", ctx)
    nr = z3.ToReal(n)
    t = z3.Real("t", ctx)  # t = n z
    floor_t = z3.ToInt(t)
    i_choice = z3.If(z3.ToReal(floor_t) == t, z3.If(floor_t >= 1, floor_t, z3.IntVal(1, ctx)), floor_t + 1)
    i = z3.Int("i", ctx)
    obligations = []
    results = []

    s1 = z3.Solver(ctx=ctx)
    s1.set("timeout", int(timeout * 1000))
    s1.add(n >= 1, z >= 0, z <= 1, t == nr * z, i == i_choice)
    s1.add(z3.Not(z3.And(i >= 1, i <= n, z3.ToReal(i) - 1 <= t, t <= z3.ToReal(i))))
    obligations.append(("choice", "; i = max(1, ceil(n z)) lies in 1..n and i - 1 <= n z <= i\n" + s1.to_smt2()))
    results.append(str(s1.check()))

    s2 = z3.Solver(ctx=ctx)
    s2.set("timeout", int(timeout * 1000))
    centre = (2 * z3.ToReal(i) - 1) / (2 * nr)
    s2.add(n >= 1, z >= 0, z <= 1, i >= 1, i <= n, z3.ToReal(i) - 1 <= nr * z, nr * z <= z3.ToReal(i))
    k = radius_denominator
    s2.add(z3.Not(z3.And(z - centre <= 1 / (k * nr), centre - z <= 1 / (k * nr))))
    obligations.append(("distance", f"; such an i is within 1/({k}n) of z\n" + s2.to_smt2()))
    results.append(str(s2.check()))
    return Lemma("grid-covering-1d",
                 "for all integers n >= 1 and z in [0, 1] there is an integer i in 1..n with "
                 "|z - (2i-1)/(2n)| <= 1/(2n)", tuple(obligations), tuple(results))
