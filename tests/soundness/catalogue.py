"""A catalogue of claims about bound algebra with a ground truth established by hand.

Every entry is one spec (the dictionary form of a TOML spec, see DESIGN.md) holding a single claim, its
truth and the mathematical argument for it (``note``). A FALSE entry also carries an explicit
counterexample, which ``test_catalogue.py`` re-checks with mpmath at 50 digits (or, for limit and exponent
claims, with an independent limit computation at the given parameter point). TRUE entries are
spot-checked numerically there too; the proof in the note is what the truth rests on.

The prover is never consulted to decide a truth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Entry", "CATALOGUE", "TRUE_ENTRIES", "FALSE_ENTRIES", "by_id"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One catalogue claim.

    Attributes:
        id: unique id; also the claim id inside ``spec``.
        spec: the spec dictionary (symbols, definitions, one claim).
        truth: whether the claim holds on its whole domain.
        note: the argument that establishes ``truth`` (a proof, or why the counterexample works).
        counterexample: for FALSE entries, exact values (strings) of the claim's symbols; for monotone
            claims the claim's variable is excluded and given by ``pair``.
        pair: for FALSE monotone claims, the two values x1 < x2 of the variable where monotonicity fails.
        tags: what the entry exercises (for the summary).
    """

    id: str
    spec: Mapping[str, Any]
    truth: bool
    note: str
    counterexample: tuple[tuple[str, str], ...] = ()
    pair: tuple[str, str] | None = None
    tags: tuple[str, ...] = field(default=())

    @property
    def claim(self) -> Mapping[str, Any]:
        """The single claim dictionary of the spec."""
        return self.spec["claims"][0]

    @property
    def kind(self) -> str:
        return self.claim["kind"]


# --------------------------------------------------------------------------- symbol presets
N_INT = {"kind": "integer", "min": 1}
N_REAL = {"kind": "real", "min": 1}
D_GE1 = {"kind": "real", "min": 1}
POS = {"kind": "real", "min_open": 0}
NONNEG = {"kind": "real", "min": 0}
DELTA = {"kind": "real", "min_open": 0, "max_open": 1}
UNIT = {"kind": "real", "min": 0, "max": 1}
REAL = {"kind": "real"}

CROISSANT_SYMBOLS = {"n": N_INT, "d": D_GE1, "K": POS, "C": NONNEG, "delta": DELTA, "L_train": UNIT}
CROISSANT_DEFS = {
    "radius": "sqrt(d)/2 * n**(-1/d)",
    "complexity": "sqrt((C*log(2) + log(1/delta)) / (2*n))",
    "bound": "L_train + K*radius + complexity",
    "gap": "bound - L_train",
}
OCCAM = "sqrt((C*log(2) + log(1/delta)) / (2*n))"
PAC_BAYES = "sqrt((KL + log(2*sqrt(n)/delta)) / (2*n))"

_ENTRIES: list[Entry] = []


def _add(cid: str, claim: dict[str, Any], symbols: Mapping[str, Any], truth: bool, note: str, *,
         defs: Mapping[str, str] | None = None, assume: tuple[str, ...] = (), cex: Mapping[str, Any] | None = None,
         pair: tuple[Any, Any] | None = None, tags: tuple[str, ...] = ()) -> None:
    claim = {"id": cid, **claim}
    if assume:
        claim["assume"] = list(assume)
    spec: dict[str, Any] = {"name": cid, "symbols": dict(symbols), "claims": [claim]}
    if defs:
        spec["definitions"] = dict(defs)
    if truth and (cex or pair):
        raise ValueError(f"{cid}: a TRUE entry has no counterexample")
    _ENTRIES.append(Entry(id=cid, spec=spec, truth=truth, note=note,
                          counterexample=tuple((k, str(v)) for k, v in (cex or {}).items()),
                          pair=None if pair is None else (str(pair[0]), str(pair[1])), tags=tags))


def mono(cid: str, kind: str, expr: str, var: str, symbols: Mapping[str, Any], truth: bool, note: str,
         **kw: Any) -> None:
    """A monotonicity claim (increasing, decreasing, nondecreasing, nonincreasing)."""
    _add(cid, {"kind": kind, "expr": expr, "var": var}, symbols, truth, note, **kw)


def rel(cid: str, kind: str, lhs: str, rhs: str, symbols: Mapping[str, Any], truth: bool, note: str,
        **kw: Any) -> None:
    """A relation claim lhs (<= | < | =) rhs."""
    _add(cid, {"kind": kind, "lhs": lhs, "rhs": rhs}, symbols, truth, note, **kw)


def sign(cid: str, kind: str, expr: str, symbols: Mapping[str, Any], truth: bool, note: str, **kw: Any) -> None:
    """A sign claim (nonnegative, positive)."""
    _add(cid, {"kind": kind, "expr": expr}, symbols, truth, note, **kw)


def limit(cid: str, expr: str, var: str, at: str, value: str, symbols: Mapping[str, Any], truth: bool, note: str,
          **kw: Any) -> None:
    """A limit claim."""
    _add(cid, {"kind": "limit", "expr": expr, "var": var, "at": at, "value": value}, symbols, truth, note, **kw)


def exponent(cid: str, expr: str, var: str, value: str, symbols: Mapping[str, Any], truth: bool, note: str,
             **kw: Any) -> None:
    """An exponent claim: expr = Theta(var**value) as var -> oo."""
    _add(cid, {"kind": "exponent", "expr": expr, "var": var, "value": value}, symbols, truth, note, **kw)


# =========================================================================== the Croissant bound
CS, CD = CROISSANT_SYMBOLS, CROISSANT_DEFS
CROISSANT_PT = {"d": 1, "K": 1, "C": 0, "delta": "1/2", "L_train": 0}

mono("cr-bound-decreasing-n", "decreasing", "bound", "n", CS, True,
     "K*sqrt(d)/2*n^(-1/d) = K*sqrt(d)/2*exp(-log(n)/d) is strictly decreasing in n (K>0, 1/d>0); the Occam "
     "term is sqrt(A/(2n)) with A = C log 2 + log(1/delta) > 0 (delta<1), strictly decreasing too.",
     defs=CD, tags=("croissant", "symbolic-exponent"))
mono("cr-bound-increasing-n", "increasing", "bound", "n", CS, False,
     "Flip of cr-bound-decreasing-n: the bound strictly decreases in n.",
     defs=CD, cex=CROISSANT_PT, pair=(1, 2), tags=("croissant", "mutation"))
mono("cr-bound-increasing-K", "increasing", "bound", "K", CS, True,
     "The bound is affine in K with slope sqrt(d)/2*n^(-1/d) > 0.", defs=CD, tags=("croissant",))
mono("cr-bound-decreasing-K", "decreasing", "bound", "K", CS, False,
     "Flip: the slope in K is positive.", defs=CD, cex={**CROISSANT_PT, "n": 1}, pair=(1, 2),
     tags=("croissant", "mutation"))
mono("cr-bound-increasing-C", "increasing", "bound", "C", CS, True,
     "C enters only through sqrt((C log 2 + log(1/delta))/(2n)), and C log 2 is strictly increasing.",
     defs=CD, tags=("croissant",))
mono("cr-bound-decreasing-delta", "decreasing", "bound", "delta", CS, True,
     "log(1/delta) is strictly decreasing on (0,1) and sqrt is strictly increasing.", defs=CD, tags=("croissant",))
mono("cr-bound-increasing-delta", "increasing", "bound", "delta", CS, False,
     "Flip of cr-bound-decreasing-delta.", defs=CD, cex={**CROISSANT_PT, "n": 1}, pair=("1/4", "1/2"),
     tags=("croissant", "mutation"))
mono("cr-bound-increasing-d", "increasing", "bound", "d", CS, True,
     "log(sqrt(d) n^(-1/d)) = log(d)/2 - log(n)/d has d-derivative 1/(2d) + log(n)/d^2 > 0 for n >= 1; K > 0.",
     defs=CD, tags=("croissant", "symbolic-exponent"))
mono("cr-bound-decreasing-d", "decreasing", "bound", "d", CS, False,
     "The radius grows with d: at n = 1 it is sqrt(d)/2, which is 1/2 at d = 1 and 1 at d = 4.",
     defs=CD, cex={"n": 1, "K": 1, "C": 0, "delta": "1/2", "L_train": 0}, pair=(1, 4),
     tags=("croissant", "mutation"))
sign("cr-gap-nonnegative", "nonnegative", "gap", CS, True,
     "gap = K*radius + complexity, a sum of nonnegative terms.", defs=CD, tags=("croissant",))
sign("cr-gap-positive", "positive", "gap", CS, True,
     "K*radius > 0 since K > 0, sqrt(d) > 0, n^(-1/d) > 0.", defs=CD, tags=("croissant",))
rel("cr-gap-nonpositive", "le", "gap", "0", CS, False,
    "Flip of the sign: the gap is positive.", defs=CD, cex={"n": 1, "d": 1, "K": 1, "C": 0, "delta": "1/2"},
    tags=("croissant", "mutation"))
rel("cr-gap-le-lipschitz-term", "le", "gap", "K*radius", CS, False,
    "Dropping the complexity term: gap - K*radius = complexity > 0 because log(1/delta) > 0.",
    defs=CD, cex={"n": 1, "d": 1, "K": 1, "C": 0, "delta": "1/2"}, tags=("croissant", "mutation"))
rel("cr-gap-ge-lipschitz-term", "le", "K*radius", "gap", CS, True,
    "gap - K*radius = complexity >= 0.", defs=CD, tags=("croissant",))
limit("cr-gap-limit-zero", "gap", "n", "oo", "0", CS, True,
      "n^(-1/d) -> 0 for every d >= 1 (the exponent -1/d lies in [-1, 0)), and sqrt(A/(2n)) -> 0.",
      defs=CD, tags=("croissant", "limit"))
limit("cr-gap-limit-half", "gap", "n", "oo", "1/2", CS, False,
      "The limit is 0, not 1/2 (mutated value).", defs=CD, cex={"d": 1, "K": 1, "C": 0, "delta": "1/2"},
      tags=("croissant", "limit", "mutation"))
exponent("cr-gap-exponent-no-assumption", "gap", "n", "-1/d", CS, False,
         "gap = A n^(-1/d) + B n^(-1/2) with A = K sqrt(d)/2 > 0, B = sqrt((C log 2 + log(1/delta))/2) > 0. "
         "At d = 1 the B term dominates: gap/n^(-1) -> oo, so gap is not Theta(n^(-1/d)).",
         defs=CD, cex={"d": 1, "K": 1, "C": 0, "delta": "1/2"}, tags=("croissant", "exponent", "case-split"))
exponent("cr-gap-exponent-d-ge-2", "gap", "n", "-1/d", CS, True,
         "For d >= 2, -1/d >= -1/2 so A n^(-1/d) dominates or ties (d = 2): gap/n^(-1/d) -> A (+B at d=2), "
         "a finite positive limit.", defs=CD, assume=("d >= 2",), tags=("croissant", "exponent", "case-split"))
exponent("cr-gap-exponent-d-gt-2", "gap", "n", "-1/d", CS, True,
         "For d > 2, -1/d > -1/2: gap/n^(-1/d) -> A > 0.", defs=CD, assume=("d > 2",),
         tags=("croissant", "exponent", "case-split"))
exponent("cr-gap-exponent-half-d-lt-2", "gap", "n", "-1/2", CS, True,
         "For 1 <= d < 2, -1/d < -1/2 so B n^(-1/2) dominates: gap/n^(-1/2) -> B > 0.", defs=CD,
         assume=("d < 2",), tags=("croissant", "exponent", "case-split"))
exponent("cr-gap-exponent-half-d-le-2", "gap", "n", "-1/2", CS, True,
         "For 1 <= d <= 2: at d < 2 the limit of gap/n^(-1/2) is B; at d = 2 it is A + B; both finite positive.",
         defs=CD, assume=("d <= 2",), tags=("croissant", "exponent", "case-split"))
exponent("cr-gap-exponent-half-d-ge-2", "gap", "n", "-1/2", CS, False,
         "Mutated case split: at d = 3 the gap is Theta(n^(-1/3)), so gap/n^(-1/2) -> oo.", defs=CD,
         assume=("d >= 2",), cex={"d": 3, "K": 1, "C": 0, "delta": "1/2"},
         tags=("croissant", "exponent", "case-split", "mutation"))
exponent("cr-gap-exponent-d-ge-3half", "gap", "n", "-1/d", CS, False,
         "Assumption weakened to d >= 3/2: at d = 3/2, -1/d = -2/3 < -1/2, the B term dominates and "
         "gap/n^(-2/3) -> oo.", defs=CD, assume=("d >= 3/2",), cex={"d": "3/2", "K": 1, "C": 0, "delta": "1/2"},
         tags=("croissant", "exponent", "case-split", "mutation"))
mono("cr-bound-widened-decreasing-n", "decreasing", "bound", "n",
     {**CS, "K": NONNEG, "delta": {"kind": "real", "min_open": 0, "max": 1}}, False,
     "Widened domain K >= 0, delta <= 1: at K = 0, C = 0, delta = 1 the bound is the constant L_train.",
     defs=CD, cex={"d": 1, "K": 0, "C": 0, "delta": 1, "L_train": 0}, pair=(1, 2), tags=("croissant", "widen-domain"))
mono("cr-bound-widened-nonincreasing-n", "nonincreasing", "bound", "n",
     {**CS, "K": NONNEG, "delta": {"kind": "real", "min_open": 0, "max": 1}}, True,
     "K*radius is nonincreasing (K >= 0) and sqrt(A/(2n)) with A >= 0 is nonincreasing.", defs=CD,
     tags=("croissant", "widen-domain"))
rel("cr-radius-le-sqrt-rate", "le", "radius", "sqrt(d)/2 * n**(-1/2)", CS, False,
    "n^(-1/d) <= n^(-1/2) needs 1/d >= 1/2; at d = 4, n = 16: 16^(-1/4) = 1/2 > 1/4.",
    defs=CD, cex={"n": 16, "d": 4}, tags=("croissant", "symbolic-exponent"))
rel("cr-radius-le-sqrt-rate-d-le-2", "le", "radius", "sqrt(d)/2 * n**(-1/2)", CS, True,
    "For d <= 2, -1/d <= -1/2 and n >= 1, so n^(-1/d) <= n^(-1/2).",
    defs=CD, assume=("d <= 2",), tags=("croissant", "symbolic-exponent"))

# =========================================================================== powers with symbolic exponents
ND = {"n": N_INT, "d": D_GE1}
NRD = {"n": N_REAL, "d": D_GE1}
mono("pow-decreasing-int", "decreasing", "n**(-1/d)", "n", ND, True,
     "n^(-1/d) = exp(-log(n)/d), log strictly increasing, -1/d < 0.", tags=("symbolic-exponent",))
mono("pow-nonincreasing-real", "nonincreasing", "n**(-1/d)", "n", NRD, True,
     "As pow-decreasing-int, over the reals.", tags=("symbolic-exponent",))
mono("pow-increasing-in-n", "increasing", "n**(-1/d)", "n", NRD, False,
     "Flip: n^(-1/d) decreases.", cex={"d": 1}, pair=(1, 2), tags=("symbolic-exponent", "mutation"))
mono("pow-increasing-in-d-n-ge-2", "increasing", "n**(-1/d)", "d", {"n": {"kind": "integer", "min": 2}, "d": D_GE1},
     True, "d -> -log(n)/d is strictly increasing when log(n) > 0, i.e. n >= 2.", tags=("symbolic-exponent",))
mono("pow-increasing-in-d-n-ge-1", "increasing", "n**(-1/d)", "d", ND, False,
     "Widened domain n >= 1: at n = 1, n^(-1/d) = 1 for every d, not strictly increasing.",
     cex={"n": 1}, pair=(1, 2), tags=("symbolic-exponent", "widen-domain"))
mono("pow-nondecreasing-in-d", "nondecreasing", "n**(-1/d)", "d", ND, True,
     "-log(n)/d is nondecreasing in d when log(n) >= 0.", tags=("symbolic-exponent",))
mono("pow-decreasing-in-d", "decreasing", "n**(-1/d)", "d", ND, False,
     "At n = 2: 2^(-1) = 1/2 < 2^(-1/2).", cex={"n": 2}, pair=(1, 2), tags=("symbolic-exponent", "mutation"))
rel("pow-le-one", "le", "n**(-1/d)", "1", ND, True, "n >= 1 and -1/d < 0 give n^(-1/d) <= 1.",
    tags=("symbolic-exponent",))
rel("pow-ge-inverse", "le", "1/n", "n**(-1/d)", NRD, True,
    "-1 <= -1/d since d >= 1, and t -> n^t is nondecreasing for n >= 1.", tags=("symbolic-exponent",))
rel("pow-le-inverse", "le", "n**(-1/d)", "1/n", NRD, False,
    "Flip: at n = 4, d = 2: 1/2 > 1/4.", cex={"n": 4, "d": 2}, tags=("symbolic-exponent", "mutation"))
sign("pow-positive", "positive", "n**(-1/d)", ND, True, "A positive base to a real power is positive.",
     tags=("symbolic-exponent",))
rel("root-le-n", "le", "n**(1/d)", "n", NRD, True, "1/d <= 1 and n >= 1.", tags=("symbolic-exponent",))
rel("root-le-sqrt", "le", "n**(1/d)", "sqrt(n)", NRD, False,
    "Needs 1/d <= 1/2; at d = 1, n = 4: 4 > 2.", cex={"n": 4, "d": 1}, tags=("symbolic-exponent", "drop-assumption"))
rel("root-le-sqrt-d-ge-2", "le", "n**(1/d)", "sqrt(n)", NRD, True,
    "With d >= 2: 1/d <= 1/2 and n >= 1.", assume=("d >= 2",), tags=("symbolic-exponent",))
mono("root-diff-increasing-d-lt-2", "increasing", "n**(1/d) - sqrt(n)", "n", NRD, True,
     "Derivative (1/d) n^(1/d-1) - n^(-1/2)/2: for 1 <= d < 2, 1/d > 1/2 and 1/d - 1 > -1/2 so "
     "n^(1/d-1) >= n^(-1/2) for n >= 1; the derivative is > 0.", assume=("d < 2",),
     tags=("symbolic-exponent", "opposite-monotonicity"))
mono("root-diff-nondecreasing-d-le-2", "nondecreasing", "n**(1/d) - sqrt(n)", "n", NRD, True,
     "As root-diff-increasing-d-lt-2, plus d = 2 where the expression is 0.", assume=("d <= 2",),
     tags=("symbolic-exponent", "opposite-monotonicity"))
mono("root-diff-increasing", "increasing", "n**(1/d) - sqrt(n)", "n", NRD, False,
     "Dropped assumption: at d = 4, n^(1/4) - n^(1/2) is 0 at n = 1 and -2 at n = 16.",
     cex={"d": 4}, pair=(1, 16), tags=("symbolic-exponent", "opposite-monotonicity", "drop-assumption"))
mono("root-diff-increasing-d-le-2", "increasing", "n**(1/d) - sqrt(n)", "n", NRD, False,
     "At d = 2 the expression is identically 0: not strictly increasing.", assume=("d <= 2",),
     cex={"d": 2}, pair=(1, 4), tags=("symbolic-exponent", "opposite-monotonicity"))
limit("pow-limit-zero", "n**(-1/d)", "n", "oo", "0", ND, True, "-1/d < 0 for d >= 1.", tags=("limit",))
limit("pow-limit-zero-negative-d", "n**(-1/d)", "n", "oo", "0", {"n": N_INT, "d": {"kind": "real", "min": -2,
      "max": -1}}, False, "For d in [-2, -1], -1/d > 0 and n^(-1/d) -> oo (at d = -1 it is n).",
      cex={"d": -1}, tags=("limit", "widen-domain"))
limit("root-over-n-limit", "n**(1/d)/n", "n", "oo", "0", NRD, False,
      "At d = 1 the expression is 1; the limit is 1, not 0.", cex={"d": 1}, tags=("limit", "case-split"))
limit("root-over-n-limit-d-ge-2", "n**(1/d)/n", "n", "oo", "0", NRD, True,
      "For d >= 2, 1/d - 1 <= -1/2 < 0.", assume=("d >= 2",), tags=("limit", "case-split"))
exponent("pow-exponent", "sqrt(d)/2*n**(-1/d)", "n", "-1/d", ND, True,
         "The ratio to n^(-1/d) is the constant sqrt(d)/2 > 0.", tags=("exponent", "symbolic-exponent"))
exponent("pow-exponent-half", "sqrt(d)/2*n**(-1/d)", "n", "-1/2", ND, False,
         "At d = 1 the expression is n^(-1)/2; its ratio to n^(-1/2) tends to 0.", cex={"d": 1},
         tags=("exponent", "symbolic-exponent", "mutation"))
exponent("pow-sum-exponent", "n**(-1/d) + 1/n", "n", "-1/d", ND, True,
         "-1/d >= -1, so the ratio n^(1/d)(n^(-1/d) + n^(-1)) = 1 + n^(1/d - 1) tends to 1 (d > 1) or 2 (d = 1).",
         tags=("exponent", "case-split"))
exponent("pow-sum-exponent-minus-one", "n**(-1/d) + 1/n", "n", "-1", ND, False,
         "At d = 2 the sum is Theta(n^(-1/2)); its ratio to n^(-1) tends to oo.", cex={"d": 2},
         tags=("exponent", "case-split", "mutation"))
exponent("shifted-pow-exponent", "(n + 1)**(-1/d)", "n", "-1/d", ND, True,
         "((n+1)/n)^(-1/d) -> 1.", tags=("exponent",))
exponent("log-times-pow-exponent", "log(n)*n**(-1/d)", "n", "-1/d", {"n": {"kind": "integer", "min": 2},
         "d": D_GE1}, False, "A log factor: the ratio to n^(-1/d) is log(n) -> oo.", cex={"d": 1},
         tags=("exponent", "log"))
limit("log-over-root-limit", "log(n)*n**(-1/d)", "n", "oo", "0", ND, True,
      "log grows slower than every positive power: log(n)/n^(1/d) -> 0 for 1/d > 0.", tags=("limit", "log"))

# =========================================================================== polynomials and integer domains
exponent("poly-exponent", "3*n**2 + n", "n", "2", {"n": N_REAL}, True, "(3n^2 + n)/n^2 -> 3.", tags=("exponent",))
exponent("poly-exponent-wrong", "3*n**2 + n", "n", "1", {"n": N_REAL}, False, "(3n^2 + n)/n -> oo.",
         tags=("exponent", "mutation"))
rel("int-product-nonneg", "le", "0", "(n - 1)*(n - 2)", {"n": N_INT}, True,
    "No integer lies strictly between 1 and 2, so both factors have the same sign or one is 0.",
    tags=("integer",))
rel("real-product-nonneg", "le", "0", "(n - 1)*(n - 2)", {"n": N_REAL}, False,
    "Over the reals: at n = 3/2 the product is -1/4.", cex={"n": "3/2"}, tags=("integer", "real-vs-integer"))
rel("int-square-ge-n", "le", "n", "n**2", {"n": {"kind": "integer"}}, True,
    "n^2 - n = n(n - 1) >= 0 for every integer (no integer in (0, 1)).", tags=("integer",))
rel("real-square-ge-n", "le", "n", "n**2", {"n": REAL}, False, "At n = 1/2: 1/2 > 1/4.", cex={"n": "1/2"},
    tags=("real-vs-integer",))
rel("int-open-ratio", "le", "(n + 1)/n", "2", {"n": {"kind": "integer", "min_open": 0}}, True,
    "An integer n > 0 is >= 1, and (n + 1)/n = 1 + 1/n <= 2.", tags=("integer",))
rel("real-open-ratio", "le", "(n + 1)/n", "2", {"n": POS}, False, "A real n > 0 may be 1/2: 3 > 2.",
    cex={"n": "1/2"}, tags=("real-vs-integer",))
mono("int-plus-inverse-nondecreasing", "nondecreasing", "2/n + n", "n", {"n": N_INT}, True,
     "f(1) = f(2) = 3 and f' = 1 - 2/n^2 > 0 for n >= 2.", tags=("integer", "opposite-monotonicity"))
mono("int-plus-inverse-increasing", "increasing", "2/n + n", "n", {"n": N_INT}, False,
     "f(1) = f(2) = 3: not strictly increasing on the integers.", pair=(1, 2),
     tags=("integer", "opposite-monotonicity"))
mono("real-plus-inverse-nondecreasing", "nondecreasing", "2/n + n", "n", {"n": N_REAL}, False,
     "Over the reals f decreases on [1, sqrt(2)]: f(6/5) = 5/3 + 6/5 = 43/15 < 3 = f(1).", pair=(1, "6/5"),
     tags=("real-vs-integer", "opposite-monotonicity"))
mono("int-parabola-nonincreasing", "nonincreasing", "(n - 5/2)**2", "n", {"n": {"kind": "integer", "min": 1,
     "max": 3}}, True, "Integer points 1, 2, 3 give 9/4, 1/4, 1/4.", tags=("integer",))
mono("int-parabola-decreasing", "decreasing", "(n - 5/2)**2", "n", {"n": {"kind": "integer", "min": 1,
     "max": 3}}, False, "f(2) = f(3) = 1/4.", pair=(2, 3), tags=("integer",))
mono("real-parabola-nonincreasing", "nonincreasing", "(n - 5/2)**2", "n", {"n": {"kind": "real", "min": 1,
     "max": 3}}, False, "Over the reals it increases on [5/2, 3]: f(5/2) = 0 < f(3) = 1/4.", pair=("5/2", 3),
     tags=("real-vs-integer",))
mono("int-parabola-decreasing-short", "decreasing", "(n - 5/2)**2", "n", {"n": {"kind": "integer", "min": 1,
     "max": 2}}, True, "Only the integer points 1 and 2: 9/4 > 1/4.", tags=("integer",))
rel("int-quadratic-n-ge-3", "le", "0", "n**2 - 4*n + 3", {"n": {"kind": "integer", "min": 3}}, True,
    "(n - 1)(n - 3) >= 0 for n >= 3.", tags=("partial-domain",))
rel("int-quadratic-n-ge-1", "le", "0", "n**2 - 4*n + 3", {"n": N_INT}, False,
    "At n = 2: (1)(-1) = -1.", cex={"n": 2}, tags=("partial-domain", "widen-domain"))
rel("pow2-ge-square-n-ge-4", "le", "n**2", "2**n", {"n": {"kind": "integer", "min": 4}}, True,
    "Equality at n = 4; if 2^n >= n^2 then 2^(n+1) >= 2n^2 >= (n+1)^2 since n^2 >= 2n + 1 for n >= 3.",
    tags=("partial-domain", "integer"))
rel("pow2-ge-square-n-ge-1", "le", "n**2", "2**n", {"n": N_INT}, False, "At n = 3: 9 > 8.", cex={"n": 3},
    tags=("partial-domain", "widen-domain"))

# =========================================================================== logs
mono("logn-over-n-decreasing-n-ge-3", "decreasing", "log(n)/n", "n", {"n": {"kind": "integer", "min": 3}}, True,
     "Derivative (1 - log n)/n^2 < 0 for n > e; 3 > e.", tags=("log", "partial-domain"))
mono("logn-over-n-decreasing-n-ge-2", "decreasing", "log(n)/n", "n", {"n": {"kind": "integer", "min": 2}}, False,
     "The maximum is at e, between 2 and 3: log(2)/2 = 0.3466 < log(3)/3 = 0.3662.", pair=(2, 3),
     tags=("log", "partial-domain", "integer"))
mono("logn-over-n-decreasing-n-ge-1", "decreasing", "log(n)/n", "n", {"n": N_INT}, False,
     "f(1) = 0 < f(2).", pair=(1, 2), tags=("log", "widen-domain"))
rel("log-le-n-minus-1", "le", "log(x)", "x - 1", {"x": POS}, True,
    "x - 1 - log x has derivative 1 - 1/x, minimum 0 at x = 1.", tags=("log",))
rel("log-le-sqrt-minus-3-5", "le", "log(x)", "sqrt(x) - 3/5", {"x": POS}, True,
    "h = sqrt(x) - 3/5 - log x has h' = 1/(2 sqrt x) - 1/x, one critical point x = 4 (a minimum: h -> oo at "
    "0+ and oo); h(4) = 2 - 3/5 - 2 log 2 = 0.0137 > 0.", tags=("log", "sqrt"))
rel("log-le-sqrt-minus-5-8", "le", "log(x)", "sqrt(x) - 5/8", {"x": POS}, False,
    "Constant pushed past the optimum 2 - 2 log 2 = 0.6137: at x = 4, log 4 = 1.3863 > 2 - 5/8 = 1.375.",
    cex={"x": 4}, tags=("log", "sqrt", "perturb-constant"))
rel("log-squared-le-n", "le", "log(n)**2", "n", {"n": N_REAL}, True,
    "h = n - log(n)^2: h(1) = 1 and h' = 1 - 2 log(n)/n >= 1 - 2/e > 0 (log(n)/n <= 1/e).", tags=("log",))
rel("log-squared-le-n-wide", "le", "log(n)**2", "n", {"n": POS}, False,
    "Near 0 the log blows up: at n = 1/10, log(10)^2 = 5.30 > 1/10.", cex={"n": "1/10"},
    tags=("log", "widen-domain"))
mono("log1p-inverse-decreasing", "decreasing", "log(1 + 1/n)", "n", {"n": N_REAL}, True,
     "1 + 1/n strictly decreases and log strictly increases.", tags=("log",))
mono("n-log1p-increasing", "increasing", "n*log(1 + 1/n)", "n", {"n": N_REAL}, True,
     "Derivative log(1 + 1/n) - 1/(n + 1) > 0 since log(1 + t) > t/(1 + t) for t = 1/n > 0.",
     tags=("log",))
mono("n-log1p-decreasing", "decreasing", "n*log(1 + 1/n)", "n", {"n": N_REAL}, False,
     "Flip: log 2 = 0.693 < 2 log(3/2) = 0.811.", pair=(1, 2), tags=("log", "mutation"))
limit("n-log1p-limit", "n*log(1 + 1/n)", "n", "oo", "1", {"n": N_REAL}, True,
      "log(1 + t)/t -> 1 as t = 1/n -> 0.", tags=("log", "limit"))
limit("n-log1p-limit-e", "n*log(1 + 1/n)", "n", "oo", "E", {"n": N_REAL}, False,
      "The limit is 1, not e (mutated value).", tags=("log", "limit", "mutation"))
rel("log1p-lower", "le", "x - x**2/2", "log(1 + x)", {"x": NONNEG}, True,
    "h = log(1+x) - x + x^2/2: h(0) = 0, h' = 1/(1+x) - 1 + x = x^2/(1+x) >= 0.", tags=("log",))
rel("log1p-upper-wrong", "le", "log(1 + x)", "x - x**2/2", {"x": NONNEG}, False,
    "Flip: at x = 1, log 2 = 0.693 > 1/2.", cex={"x": 1}, tags=("log", "mutation"))
rel("xlogx", "le", "0", "n*log(n) - n + 1", {"n": POS}, True,
    "Convex (second derivative 1/n), derivative log n vanishes at n = 1 where the value is 0.", tags=("log",))
rel("log-lower-inverse", "le", "1 - 1/n", "log(n)", {"n": POS}, True,
    "log(1/n) <= 1/n - 1 (log-le-n-minus-1 at 1/n).", tags=("log",))
rel("log-lower-inverse-flip", "le", "log(n)", "1 - 1/n", {"n": POS}, False,
    "Flip: at n = 2, log 2 = 0.693 > 1/2.", cex={"n": 2}, tags=("log", "mutation"))
exponent("log-diff-exponent", "log(n + 1) - log(n)", "n", "-1", {"n": N_REAL}, True,
         "n log(1 + 1/n) -> 1.", tags=("log", "exponent"))
exponent("log-diff-exponent-zero", "log(n + 1) - log(n)", "n", "0", {"n": N_REAL}, False,
         "log(1 + 1/n) -> 0: not Theta(1).", tags=("log", "exponent", "mutation"))
exponent("log-over-n-exponent", "log(n)/n", "n", "-1", {"n": {"kind": "integer", "min": 2}}, False,
         "The ratio to 1/n is log(n) -> oo: a log factor is not a constant.", tags=("log", "exponent"))
rel("log-product-eq", "eq", "log(a*b)", "log(a) + log(b)", {"a": POS, "b": POS}, True,
    "The functional equation of log on positive reals.", tags=("log", "eq"))
rel("log-sum-eq", "eq", "log(a + b)", "log(a) + log(b)", {"a": POS, "b": POS}, False,
    "At a = b = 1: log 2 != 0.", cex={"a": 1, "b": 1}, tags=("log", "eq"))
rel("exp-log-eq", "eq", "exp(2*log(n))", "n**2", {"n": POS}, True, "exp(2 log n) = (exp(log n))^2.",
    tags=("log", "eq"))

# =========================================================================== square roots
mono("sqrt-diff-decreasing", "decreasing", "sqrt(n + 1) - sqrt(n)", "n", {"n": NONNEG}, True,
     "sqrt(n+1) - sqrt(n) = 1/(sqrt(n+1) + sqrt(n)), the inverse of a strictly increasing positive function.",
     tags=("sqrt", "opposite-monotonicity"))
mono("sqrt-diff-increasing", "increasing", "sqrt(n + 1) - sqrt(n)", "n", {"n": NONNEG}, False,
     "Flip: 1 at n = 0, sqrt(2) - 1 at n = 1.", pair=(0, 1), tags=("sqrt", "mutation"))
rel("sqrt-diff-upper", "le", "sqrt(n + 1) - sqrt(n)", "1/(2*sqrt(n))", {"n": POS}, True,
    "1/(sqrt(n+1) + sqrt(n)) <= 1/(2 sqrt(n)).", tags=("sqrt",))
rel("sqrt-diff-lower", "le", "1/(2*sqrt(n + 1))", "sqrt(n + 1) - sqrt(n)", {"n": NONNEG}, True,
    "1/(sqrt(n+1) + sqrt(n)) >= 1/(2 sqrt(n+1)).", tags=("sqrt",))
rel("sqrt-diff-lower-wrong", "le", "1/(2*sqrt(n))", "sqrt(n + 1) - sqrt(n)", {"n": POS}, False,
    "Swapped bound: at n = 1, 1/2 > sqrt(2) - 1 = 0.414.", cex={"n": 1}, tags=("sqrt", "mutation"))
rel("sqrt-subadditive", "le", "sqrt(x + y)", "sqrt(x) + sqrt(y)", {"x": NONNEG, "y": NONNEG}, True,
    "Square both sides: x + y <= x + y + 2 sqrt(xy).", tags=("sqrt",))
rel("sqrt-superadditive-wrong", "le", "sqrt(x) + sqrt(y)", "sqrt(x + y)", {"x": NONNEG, "y": NONNEG}, False,
    "At x = y = 1: 2 > sqrt 2.", cex={"x": 1, "y": 1}, tags=("sqrt", "mutation"))
rel("am-gm", "le", "sqrt(x*y)", "(x + y)/2", {"x": NONNEG, "y": NONNEG}, True,
    "(sqrt x - sqrt y)^2 >= 0.", tags=("sqrt",))
rel("am-gm-flip", "le", "(x + y)/2", "sqrt(x*y)", {"x": NONNEG, "y": NONNEG}, False,
    "At x = 1, y = 4: 5/2 > 2.", cex={"x": 1, "y": 4}, tags=("sqrt", "mutation"))
rel("min-le-geomean", "le", "Min(x, y)", "sqrt(x*y)", {"x": NONNEG, "y": NONNEG}, True,
    "min(x,y)^2 <= xy and both sides are nonnegative.", tags=("sqrt",))
rel("geomean-le-min", "le", "sqrt(x*y)", "Min(x, y)", {"x": NONNEG, "y": NONNEG}, False,
    "At x = 1, y = 4: 2 > 1.", cex={"x": 1, "y": 4}, tags=("sqrt", "mutation"))
rel("max-le-sum", "le", "Max(x, y)", "x + y", {"x": NONNEG, "y": NONNEG}, True,
    "Max(x, y) is one of x, y and the other is >= 0.", tags=())
exponent("sqrt-diff-exponent", "sqrt(n + 1) - sqrt(n)", "n", "-1/2", {"n": N_REAL}, True,
         "sqrt(n)(sqrt(n+1) - sqrt(n)) = 1/(sqrt(1 + 1/n) + 1) -> 1/2.", tags=("sqrt", "exponent"))
exponent("sqrt-diff-exponent-wrong", "sqrt(n + 1) - sqrt(n)", "n", "-1", {"n": N_REAL}, False,
         "The ratio to 1/n is about sqrt(n)/2 -> oo.", tags=("sqrt", "exponent", "mutation"))
limit("sqrt-square-limit", "sqrt(n**2 + n) - n", "n", "oo", "1/2", {"n": N_REAL}, True,
      "n/(sqrt(n^2 + n) + n) = 1/(sqrt(1 + 1/n) + 1) -> 1/2.", tags=("sqrt", "limit"))
limit("sqrt-square-limit-wrong", "sqrt(n**2 + n) - n", "n", "oo", "1", {"n": N_REAL}, False,
      "The limit is 1/2 (mutated value).", tags=("sqrt", "limit", "mutation"))
limit("sqrt-quotient-limit-at-0", "(sqrt(1 + x) - 1)/x", "x", "0", "1/2", {"x": {"kind": "real", "min_open": 0,
      "max": 1}}, True, "1/(sqrt(1 + x) + 1) -> 1/2 as x -> 0.", tags=("sqrt", "limit"))
limit("sqrt-quotient-limit-at-0-wrong", "(sqrt(1 + x) - 1)/x", "x", "0", "1", {"x": {"kind": "real",
      "min_open": 0, "max": 1}}, False, "The limit is 1/2.", tags=("sqrt", "limit", "mutation"))
rel("sqrt-eq-abs", "eq", "sqrt(x**2)", "x", {"x": {"kind": "real", "min": -1, "max": 1}}, False,
    "sqrt(x^2) = |x|; at x = -1 it is 1 != -1.", cex={"x": -1}, tags=("sqrt", "eq"))
rel("sqrt-le-mean", "le", "sqrt(n)", "(n + 1)/2", {"n": NONNEG}, True, "AM-GM on n and 1.", tags=("sqrt",))

# =========================================================================== opposite monotonicity
AB = {"a": POS, "b": POS, "n": N_REAL}
mono("sum-opposite-decreasing", "decreasing", "a/n + b*n", "n", AB, False,
     "a/n decreases, b n increases: at a = b = 1 the values at n = 1, 2 are 2, 5/2.",
     cex={"a": 1, "b": 1}, pair=(1, 2), tags=("opposite-monotonicity",))
mono("sum-opposite-increasing", "increasing", "a/n + b*n", "n", AB, False,
     "At a = 4, b = 1: 5 at n = 1, 4 at n = 2.", cex={"a": 4, "b": 1}, pair=(1, 2),
     tags=("opposite-monotonicity",))
rel("sum-opposite-am-gm", "le", "2*sqrt(a*b)", "a/n + b*n", AB, True,
    "AM-GM: a/n + b n - 2 sqrt(ab) = (sqrt(a/n) - sqrt(b n))^2 >= 0; tight at n = sqrt(a/b).",
    tags=("opposite-monotonicity", "sqrt"))
rel("sum-opposite-am-gm-perturbed", "le", "2*sqrt(a*b)*101/100", "a/n + b*n", AB, False,
    "Constant past the optimum: at a = 4, b = 1, n = 2 the right side is 4 < 4.04.", cex={"a": 4, "b": 1, "n": 2},
    tags=("opposite-monotonicity", "perturb-constant"))
mono("plus-inverse-increasing-n-ge-1", "increasing", "1/n + n", "n", {"n": N_REAL}, True,
     "Derivative 1 - 1/n^2 > 0 for n > 1 (zero only at the endpoint n = 1).", tags=("opposite-monotonicity",))
mono("plus-inverse-increasing-n-ge-half", "increasing", "1/n + n", "n", {"n": {"kind": "real", "min": "1/2"}},
     False, "Widened domain: 5/2 at n = 1/2, 2 at n = 1.", pair=("1/2", 1),
     tags=("opposite-monotonicity", "widen-domain"))
mono("xexp-decreasing-x-ge-1", "decreasing", "x*exp(-x)", "x", {"x": N_REAL}, True,
     "Derivative (1 - x) e^(-x) < 0 for x > 1.", tags=("opposite-monotonicity", "partial-domain"))
mono("xexp-decreasing-x-ge-0", "decreasing", "x*exp(-x)", "x", {"x": NONNEG}, False,
     "0 at x = 0, e^(-1/2)/2 = 0.303 at x = 1/2.", pair=(0, "1/2"), tags=("opposite-monotonicity", "widen-domain"))
rel("xexp-le-inv-e", "le", "x*exp(-x)", "exp(-1)", {"x": REAL}, True,
    "Maximum of x e^(-x) over the reals is at x = 1 (derivative (1 - x)e^(-x)), value 1/e.", tags=("exp",))
rel("xexp-le-9-25", "le", "x*exp(-x)", "9/25", {"x": REAL}, False,
    "9/25 = 0.36 < 1/e = 0.3679, attained at x = 1.", cex={"x": 1}, tags=("exp", "perturb-constant"))
rel("exp-taylor-lower", "le", "1 + x + x**2/2", "exp(x)", {"x": NONNEG}, True,
    "Every term of the exponential series is >= 0 for x >= 0.", tags=("exp",))
rel("exp-taylor-lower-wide", "le", "1 + x + x**2/2", "exp(x)", {"x": {"kind": "real", "min": -1}}, False,
    "At x = -1: 1/2 > e^(-1) = 0.368.", cex={"x": -1}, tags=("exp", "widen-domain"))
mono("inverse-gap-decreasing", "decreasing", "1/n - 1/(n + 1)", "n", {"n": N_REAL}, True,
     "Equals 1/(n(n + 1)), the inverse of a strictly increasing positive function.", tags=("opposite-monotonicity",))

# =========================================================================== Occam and PAC-Bayes
OC = {"n": N_INT, "C": NONNEG, "delta": DELTA}
OC_WIDE = {"n": N_INT, "C": NONNEG, "delta": {"kind": "real", "min_open": 0, "max": 1}}
sign("occam-nonnegative", "nonnegative", OCCAM, OC, True, "A square root.", tags=("occam",))
sign("occam-positive", "positive", OCCAM, OC, True, "log(1/delta) > 0 for delta < 1 and C log 2 >= 0.",
     tags=("occam",))
sign("occam-positive-wide", "positive", OCCAM, OC_WIDE, False, "Widened delta <= 1: at C = 0, delta = 1 it is 0.",
     cex={"n": 1, "C": 0, "delta": 1}, tags=("occam", "widen-domain"))
mono("occam-decreasing-n", "decreasing", OCCAM, "n", OC, True,
     "sqrt(A/(2n)) with A = C log 2 + log(1/delta) > 0.", tags=("occam",))
mono("occam-decreasing-n-wide", "decreasing", OCCAM, "n", OC_WIDE, False,
     "At C = 0, delta = 1 the term is identically 0.", cex={"C": 0, "delta": 1}, pair=(1, 2),
     tags=("occam", "widen-domain"))
mono("occam-nonincreasing-n-wide", "nonincreasing", OCCAM, "n", OC_WIDE, True,
     "A >= 0 on the widened domain, so sqrt(A/(2n)) is nonincreasing.", tags=("occam", "widen-domain"))
mono("occam-increasing-C", "increasing", OCCAM, "C", OC, True, "C log 2 strictly increases; sqrt too.",
     tags=("occam",))
rel("occam-split", "le", OCCAM, "sqrt(C*log(2)/(2*n)) + sqrt(log(1/delta)/(2*n))", OC, True,
    "sqrt(u + v) <= sqrt(u) + sqrt(v) for u, v >= 0.", tags=("occam", "sqrt"))
rel("occam-split-flip", "le", "sqrt(C*log(2)/(2*n)) + sqrt(log(1/delta)/(2*n))", OCCAM, OC, False,
    "At C = 1, delta = 1/2, n = 1 the left side is 2 sqrt(log(2)/2) = 1.177 > sqrt(log 2) = 0.833.",
    cex={"n": 1, "C": 1, "delta": "1/2"}, tags=("occam", "mutation"))
rel("occam-sample-size", "le", "sqrt(log(1/delta)/(2*n))", "eps",
    {"n": N_INT, "delta": DELTA, "eps": POS}, True,
    "n >= log(1/delta)/(2 eps^2) gives log(1/delta)/(2n) <= eps^2; take square roots.",
    assume=("n >= log(1/delta)/(2*eps**2)",), tags=("occam", "assumption"))
rel("occam-sample-size-wrong", "le", "sqrt(log(1/delta)/(2*n))", "eps",
    {"n": N_INT, "delta": DELTA, "eps": POS}, False,
    "Wrong sample size n >= log(1/delta)/eps: at eps = 1/10, delta = 1/2, n = 7 (>= 6.93) the term is "
    "sqrt(log(2)/14) = 0.2225 > 1/10.", assume=("n >= log(1/delta)/eps",), cex={"n": 7, "delta": "1/2", "eps": "1/10"},
    tags=("occam", "assumption", "mutation"))
PB = {"n": N_INT, "KL": NONNEG, "delta": DELTA}
mono("pac-bayes-decreasing-n", "decreasing", PAC_BAYES, "n", PB, True,
     "f^2 = (A + log(n)/2)/(2n) with A = KL + log(2/delta) > log 2 > 1/2; d/dn (A + log(n)/2)/n = "
     "(1/2 - A - log(n)/2)/n^2 < 0 for n >= 1.", tags=("pac-bayes", "log"))
mono("pac-bayes-no-2-decreasing-n", "decreasing", "sqrt((KL + log(sqrt(n)/delta)) / (2*n))", "n", PB, False,
     "Without the 2, A = KL + log(1/delta) can be near 0: at KL = 0, delta = 9/10, f(1)^2 = A/2 = 0.0527 and "
     "f(2)^2 = (A + log(2)/2)/4 = 0.113.", cex={"KL": 0, "delta": "9/10"}, pair=(1, 2),
     tags=("pac-bayes", "log", "perturb-constant"))
mono("pac-bayes-no-2-decreasing-n-ge-3", "decreasing", "sqrt((KL + log(sqrt(n)/delta)) / (2*n))", "n",
     {**PB, "n": {"kind": "integer", "min": 3}}, True,
     "Derivative of (A + log(n)/2)/n is (1/2 - A - log(n)/2)/n^2 < 0 once log n > 1 - 2A, true for n >= 3 > e "
     "because A >= 0.", tags=("pac-bayes", "log", "partial-domain"))
mono("pac-bayes-increasing-KL", "increasing", PAC_BAYES, "KL", PB, True,
     "KL enters linearly in the numerator under sqrt; the numerator is > 0.", tags=("pac-bayes",))
mono("pac-bayes-decreasing-delta", "decreasing", PAC_BAYES, "delta", PB, True,
     "log(2 sqrt(n)/delta) strictly decreases in delta.", tags=("pac-bayes",))
limit("pac-bayes-limit", PAC_BAYES, "n", "oo", "0", PB, True, "(A + log(n)/2)/(2n) -> 0.",
      tags=("pac-bayes", "limit"))
exponent("pac-bayes-exponent-half", PAC_BAYES, "n", "-1/2", PB, False,
         "A log factor: f/n^(-1/2) = sqrt((A + log(n)/2)/2) -> oo, so f is not Theta(n^(-1/2)).",
         cex={"KL": 0, "delta": "1/2"}, tags=("pac-bayes", "exponent", "log"))
rel("pac-bayes-le-one", "le", PAC_BAYES, "1", PB, False,
    "KL is unbounded: at KL = 100, n = 1, delta = 1/2, f = sqrt((100 + log 4)/2) = 7.1.",
    cex={"n": 1, "KL": 100, "delta": "1/2"}, tags=("pac-bayes",))

# =========================================================================== Lipschitz steps and covering radii
LIP = {"K": POS, "L": UNIT, "dist": NONNEG, "r": NONNEG}
rel("lipschitz-substitute-radius", "le", "L + K*dist", "L + K*r", LIP, True,
    "K > 0 and dist <= r.", assume=("dist <= r",), tags=("lipschitz", "assumption"))
rel("lipschitz-substitute-no-assumption", "le", "L + K*dist", "L + K*r", LIP, False,
    "Dropped assumption dist <= r: at dist = 2, r = 1, K = 1, L = 0: 2 > 1.",
    cex={"K": 1, "L": 0, "dist": 2, "r": 1}, tags=("lipschitz", "drop-assumption"))
rel("lipschitz-negative-constant", "le", "L + K*dist", "L + K*r",
    {**LIP, "K": {"kind": "real", "min": -1, "max": 1}}, False,
    "Widened K >= -1: at K = -1, dist = 0, r = 1: L > L - 1.", assume=("dist <= r",),
    cex={"K": -1, "L": 0, "dist": 0, "r": 1}, tags=("lipschitz", "widen-domain"))
rel("lipschitz-chain", "le", "lz", "lzi + K/(2*n)",
    {"lz": UNIT, "lzi": UNIT, "K": POS, "z": UNIT, "zi": UNIT, "n": N_INT}, True,
    "lz <= lzi + K|z - zi| (Lipschitz) and |z - zi| <= 1/(2n) (covering) with K > 0.",
    assume=("lz <= lzi + K*Abs(z - zi)", "Abs(z - zi) <= 1/(2*n)"), tags=("lipschitz", "covering", "assumption"))
rel("lipschitz-square-signed", "le", "K*t**2", "K*s**2", {"K": POS, "t": {"kind": "real", "min": -3, "max": 3},
    "s": {"kind": "real", "min": -3, "max": 3}}, False,
    "t <= s does not give t^2 <= s^2 for negative t: t = -2, s = 1, K = 1.", assume=("t <= s",),
    cex={"K": 1, "t": -2, "s": 1}, tags=("lipschitz", "assumption"))
rel("lipschitz-square-nonneg", "le", "K*t**2", "K*s**2", {"K": POS, "t": {"kind": "real", "min": 0, "max": 3},
    "s": {"kind": "real", "min": 0, "max": 3}}, True, "0 <= t <= s gives t^2 <= s^2; K > 0.", assume=("t <= s",),
    tags=("lipschitz", "assumption"))
GRID = {"n": N_INT, "i": N_INT, "z": UNIT}
rel("covering-lemma-1d", "le", "Abs(z - (2*i - 1)/(2*n))", "1/(2*n)", GRID, True,
    "z in [(i-1)/n, i/n], an interval of half-width 1/(2n) centred at (2i-1)/(2n).",
    assume=("(i - 1)/n <= z", "z <= i/n", "i <= n"), tags=("covering", "assumption"))
rel("covering-lemma-1d-quarter", "le", "Abs(z - (2*i - 1)/(2*n))", "1/(4*n)", GRID, False,
    "Halved radius: at n = 1, i = 1, z = 0 the distance is 1/2 > 1/4.", assume=("(i - 1)/n <= z", "z <= i/n",
    "i <= n"), cex={"n": 1, "i": 1, "z": 0}, tags=("covering", "assumption", "perturb-constant"))
rel("covering-1d-le-grid", "le", "1/(2*n)", "sqrt(d)/2*n**(-1/d)", ND, True,
    "n^(-1) <= n^(-1/d) (1/d <= 1, n >= 1) and 1 <= sqrt(d).", tags=("covering", "symbolic-exponent"))
rel("covering-grid-le-half", "le", "sqrt(d)/2*n**(-1/d)", "1/2", ND, False,
    "At n = 1 the radius is sqrt(d)/2, which is 1 at d = 4.", cex={"n": 1, "d": 4},
    tags=("covering", "symbolic-exponent"))
rel("covering-grid-le-diameter", "le", "sqrt(d)/2*n**(-1/d)", "sqrt(d)/2", ND, True,
    "n^(-1/d) <= 1.", tags=("covering", "symbolic-exponent"))
mono("covering-1d-decreasing", "decreasing", "1/(2*n)", "n", {"n": N_INT}, True, "1/(2n) with n > 0.",
     tags=("covering",))
mono("covering-radius-increasing-d", "increasing", "sqrt(d)/2*n**(-1/d)", "d", ND, True,
     "log of it is log(d)/2 - log(n)/d - log 2, with d-derivative 1/(2d) + log(n)/d^2 > 0.",
     tags=("covering", "symbolic-exponent"))
exponent("covering-1d-exponent", "1/(2*n)", "n", "-1", {"n": N_INT}, True, "Ratio to 1/n is 1/2.",
         tags=("covering", "exponent"))
rel("sample-radius-eps", "le", "1/(2*n)", "eps", {"n": N_INT, "eps": POS}, True,
    "n >= 1/(2 eps) gives 1/(2n) <= eps.", assume=("n >= 1/(2*eps)",), tags=("covering", "assumption"))
rel("sample-radius-eps-no-assumption", "le", "1/(2*n)", "eps", {"n": N_INT, "eps": POS}, False,
    "Dropped assumption: at n = 1, eps = 1/100: 1/2 > 1/100.", cex={"n": 1, "eps": "1/100"},
    tags=("covering", "drop-assumption"))

# =========================================================================== limits and strictness
limit("compound-interest-limit", "(1 + 1/n)**n", "n", "oo", "E", {"n": N_INT}, True,
      "exp(n log(1 + 1/n)) and n log(1 + 1/n) -> 1.", tags=("limit",))
limit("nth-root-limit", "n**(1/n)", "n", "oo", "1", {"n": N_INT}, True, "exp(log(n)/n) and log(n)/n -> 0.",
      tags=("limit",))
limit("nth-root-limit-zero", "n**(1/n)", "n", "oo", "0", {"n": N_INT}, False, "The limit is 1 (mutated value).",
      tags=("limit", "mutation"))
rel("strict-inverse", "lt", "1/(n + 1)", "1/n", {"n": N_REAL}, True, "n + 1 > n > 0.", tags=("strict",))
rel("strict-at-tangency", "lt", "log(x)", "x - 1", {"x": POS}, False,
    "Equality at x = 1: 0 < 0 is false (the strict form of log-le-n-minus-1).", cex={"x": 1},
    tags=("strict", "log"))
rel("strict-pow-le-one", "lt", "n**(-1/d)", "1", ND, False, "At n = 1: 1 < 1 is false.", cex={"n": 1, "d": 1},
    tags=("strict", "symbolic-exponent"))
rel("strict-pow-lt-one-n-ge-2", "lt", "n**(-1/d)", "1", {"n": {"kind": "integer", "min": 2}, "d": D_GE1}, True,
    "log(n) > 0 and -1/d < 0.", tags=("strict", "symbolic-exponent"))
sign("positive-square-int-open", "positive", "n**2 - n", {"n": {"kind": "integer", "min_open": 1}}, True,
     "An integer n > 1 is >= 2: n(n - 1) >= 2.", tags=("integer", "strict"))
sign("positive-square-real-open", "positive", "n**2 - n", {"n": {"kind": "real", "min": 1}}, False,
     "At n = 1 it is 0.", cex={"n": 1}, tags=("strict", "real-vs-integer"))

# =========================================================================== traps: large values, ties, isolated zeros
rel("log-le-50", "le", "log(n)", "50", {"n": N_REAL}, False,
    "True up to e^50 = 5.2e21 only: at n = 10^22, log n = 50.66.", cex={"n": "10**22"},
    tags=("log", "large-values"))
rel("root-le-log", "le", "n**(1/10)", "10*log(n) + 10", {"n": N_REAL}, False,
    "Holds for moderate n (n = 10^20: 100 <= 470.5) but a power beats a log: at n = 10^40, 10^4 > 931.0.",
    cex={"n": "10**40"}, tags=("log", "large-values"))
rel("root-le-log-bounded", "le", "n**(1/10)", "10*log(n) + 10", {"n": {"kind": "real", "min": 1, "max": "10**20"}},
    True, "h = 10 log n + 10 - n^(1/10) has h' = (10 - n^(1/10)/10)/n > 0 while n^(1/10) < 100, i.e. on all of "
    "[1, 10^20]; h(1) = 9 > 0.", tags=("log", "large-values"))
exponent("cancel-exponent", "(K - 1)*n + sqrt(n)", "n", "1", {"n": N_REAL, "K": {"kind": "real", "min": 1}}, False,
         "At K = 1 the linear term vanishes and the expression is sqrt(n): its ratio to n tends to 0.",
         cex={"K": 1}, tags=("exponent", "case-split"))
exponent("cancel-exponent-K-gt-1", "(K - 1)*n + sqrt(n)", "n", "1", {"n": N_REAL, "K": {"kind": "real", "min": 1}},
         True, "For K > 1 the ratio to n tends to K - 1 > 0.", assume=("K > 1",), tags=("exponent", "case-split"))
limit("power-1-minus-d-limit", "n**(1 - d)", "n", "oo", "0", NRD, False,
      "At d = 1 the expression is 1.", cex={"d": 1}, tags=("limit", "case-split"))
limit("power-1-minus-d-limit-d-gt-1", "n**(1 - d)", "n", "oo", "0", NRD, True,
      "For d > 1 the exponent 1 - d is negative.", assume=("d > 1",), tags=("limit", "case-split"))
mono("cube-increasing", "increasing", "x**3", "x", {"x": {"kind": "real", "min": -1, "max": 1}}, True,
     "x^3 is strictly increasing on the reals; its derivative vanishes only at the single point 0.",
     tags=("isolated-zero",))
mono("cube-minus-x-increasing", "increasing", "x**3 - 3*x", "x", {"x": {"kind": "real", "min": -1, "max": 2}},
     False, "Derivative 3x^2 - 3 < 0 on (-1, 1): value 2 at x = -1, -2 at x = 1.", pair=(-1, 1),
     tags=("opposite-monotonicity",))
mono("max-nondecreasing", "nondecreasing", "Max(n, 5)", "n", {"n": N_REAL}, True,
     "Max of a constant and the identity is nondecreasing.", tags=("max",))
mono("max-increasing", "increasing", "Max(n, 5)", "n", {"n": N_REAL}, False,
     "Constant 5 on [1, 5].", pair=(1, 2), tags=("max", "ties"))
mono("xpow-exp-decreasing", "decreasing", "n**d*exp(-n)", "n", NRD, False,
     "Derivative n^(d-1) e^(-n) (d - n) > 0 for n < d: at d = 4, e^(-1) = 0.37 < 16 e^(-2) = 2.17.",
     cex={"d": 4}, pair=(1, 2), tags=("opposite-monotonicity", "partial-domain"))
mono("xpow-exp-decreasing-past-d", "decreasing", "n**d*exp(-n)", "n", NRD, True,
     "On n >= d the derivative n^(d-1) e^(-n) (d - n) is < 0 except at the endpoint n = d.",
     assume=("n >= d",), tags=("opposite-monotonicity", "partial-domain", "assumption"))

# =========================================================================== traps: parameter signs, near misses
mono("neg-d-decreasing", "decreasing", "n**(-1/d)", "n", {"n": N_REAL, "d": {"kind": "real", "min": -2,
     "max": "-1/2"}}, False, "With d < 0 the exponent -1/d is positive: at d = -1 the expression is n.",
     cex={"d": -1}, pair=(1, 2), tags=("symbolic-exponent", "parameter-sign"))
mono("base-below-one-increasing-d", "increasing", "x**(-1/d)", "d", {"x": {"kind": "real", "min_open": 0,
     "max_open": 1}, "d": D_GE1}, False, "For 0 < x < 1, -log(x) > 0 and exp(-log(x)/d) decreases in d: "
     "(1/2)^(-1) = 2 > (1/2)^(-1/2) = 1.414.", cex={"x": "1/2"}, pair=(1, 2),
     tags=("symbolic-exponent", "parameter-sign"))
mono("base-below-one-decreasing-d", "decreasing", "x**(-1/d)", "d", {"x": {"kind": "real", "min_open": 0,
     "max_open": 1}, "d": D_GE1}, True, "exp(c/d) with c = -log(x) > 0 strictly decreases in d > 0.",
     tags=("symbolic-exponent", "parameter-sign"))
exponent("cr-gap-exponent-integer-d", "gap", "n", "-1/d", {**CS, "d": {"kind": "integer", "min": 1}}, True,
         "d is an integer here, so d > 3/2 means d >= 2 and cr-gap-exponent-d-ge-2 applies (over the reals "
         "the same assumption is false, see cr-gap-exponent-d-ge-3half).", defs=CD, assume=("d > 3/2",),
         tags=("croissant", "exponent", "integer"))
mono("param-sign-decreasing", "decreasing", "(a - 1)/n", "n", {"n": N_REAL, "a": {"kind": "real", "min": 0,
     "max": 2}}, False, "The coefficient a - 1 may be negative: at a = 0, -1/n increases (-1 then -1/2).",
     cex={"a": 0}, pair=(1, 2), tags=("parameter-sign",))
mono("param-sign-decreasing-a-gt-1", "decreasing", "(a - 1)/n", "n", {"n": N_REAL, "a": {"kind": "real",
     "min": 0, "max": 2}}, True, "With a > 1 the coefficient is positive and 1/n strictly decreases.",
     assume=("a > 1",), tags=("parameter-sign", "assumption"))
rel("exp-beats-power-36", "le", "n**10", "exp(n)", {"n": {"kind": "real", "min": 36}}, True,
    "g = n - 10 log n has g' = 1 - 10/n > 0 for n > 10 and g(36) = 36 - 10 log 36 = 0.165 > 0.",
    tags=("exp", "partial-domain"))
rel("exp-beats-power-35", "le", "n**10", "exp(n)", {"n": {"kind": "real", "min": 35}}, False,
    "At n = 35: 35^10 = 2.76e15 > e^35 = 1.59e15.", cex={"n": 35}, tags=("exp", "widen-domain"))
rel("exp-tangent-shifted", "le", "1 + x + 1/10**8", "exp(x)", {"x": REAL}, False,
    "A near miss: exp(x) - 1 - x < 1e-8 near 0; at x = 0, 1 + 1e-8 > 1.", cex={"x": 0}, tags=("exp", "near-miss"))
rel("log-tangent-shifted", "le", "log(x)", "x - 1 - 1/10**8", {"x": POS}, False,
    "A near miss at the tangency x = 1: 0 > -1e-8.", cex={"x": 1}, tags=("log", "near-miss"))
sign("narrow-dip", "nonnegative", "(x - 1/3)**2 - 1/10**6", {"x": UNIT}, False,
     "Negative only on (1/3 - 1/1000, 1/3 + 1/1000): at x = 1/3 it is -1e-6.", cex={"x": "1/3"},
     tags=("near-miss",))
sign("narrow-dip-lifted", "positive", "(x - 1/3)**2 + 1/10**6", {"x": UNIT}, True, "A square plus a positive constant.",
     tags=("near-miss",))
rel("abs-shift", "le", "Abs(x - 1)", "x", {"x": NONNEG}, False, "At x = 0: 1 > 0.", cex={"x": 0}, tags=("abs",))
rel("abs-shift-half", "le", "Abs(x - 1)", "x", {"x": {"kind": "real", "min": "1/2"}}, True,
    "For 1/2 <= x <= 1: 1 - x <= x; for x > 1: x - 1 <= x.", tags=("abs",))

# =========================================================================== identities
rel("max-plus-min", "eq", "Max(x, y) + Min(x, y)", "x + y", {"x": REAL, "y": REAL}, True,
    "{Max, Min} = {x, y} as a multiset.", tags=("eq", "max"))
rel("max-minus-min", "eq", "Max(x, y) - Min(x, y)", "x - y", {"x": REAL, "y": REAL}, False,
    "Max - Min = |x - y|: at x = 0, y = 1 it is 1, not -1.", cex={"x": 0, "y": 1}, tags=("eq", "max"))
rel("floor-identity-int", "eq", "floor(n)", "n", {"n": N_INT}, True, "floor is the identity on integers.",
    tags=("eq", "integer"))
rel("floor-identity-real", "eq", "floor(n)", "n", {"n": N_REAL}, False, "At n = 3/2: 1 != 3/2.", cex={"n": "3/2"},
    tags=("eq", "real-vs-integer"))
rel("abs-product", "eq", "Abs(x*y)", "Abs(x)*Abs(y)", {"x": REAL, "y": REAL}, True,
    "|xy| = |x||y| for reals.", tags=("eq", "abs"))

# ---- targets of the interval branch-and-bound rung (prove/bnb.py): tangency, integer hulls, Eq-defined
# auxiliary symbols, unbounded tails, and the false claims right next to them
BNB_X1 = {"kind": "real", "min": 1}
rel("bnb-second-order-tangency", "le", "2*(x - 1)/(x + 1)", "log(x)", {"x": BNB_X1}, True,
    "Equality at x = 1 with equal first and second derivatives; the difference has derivative "
    "(x - 1)**2/(x (x + 1)**2) >= 0.", tags=("bnb", "log", "tight"))
rel("bnb-second-order-tangency-below-1", "le", "2*(x - 1)/(x + 1)", "log(x)", {"x": POS}, False,
    "For 0 < x < 1 the inequality reverses: at x = 1/2, log(1/2) = -0.693 < -2/3.", cex={"x": "1/2"},
    tags=("bnb", "log", "tight"))
sign("bnb-integer-hull", "nonnegative", "(n - 2)*(n - 3)", {"n": {"kind": "integer", "min": 0, "max": 10}}, True,
     "Negative only strictly between 2 and 3, where there is no integer.", tags=("bnb", "integer"))
sign("bnb-integer-hull-real", "nonnegative", "(n - 2)*(n - 3)", {"n": {"kind": "real", "min": 0, "max": 10}}, False,
     "At n = 5/2: -1/4.", cex={"n": "5/2"}, tags=("bnb", "real-vs-integer"))
rel("bnb-tail-reciprocal", "lt", "log(1 + 1/n)", "1/n", {"n": N_INT}, True,
    "log(1 + t) < t for t = 1/n in (0, 1].", tags=("bnb", "log", "tail"))
rel("bnb-tail-false-far-out", "lt", "1/n - 1/n**2", "1/10**6", {"n": N_REAL}, False,
    "At n = 2: 1/4 > 1e-6 (true only for n large).", cex={"n": 2}, tags=("bnb", "tail"))
rel("bnb-eq-aux-sqrt-false", "le", "y", "1 + x/3", {"x": NONNEG, "y": NONNEG}, False,
    "At x = 5/4, y = 3/2: 1 + 5/12 < 3/2.", assume=("Eq(y**2, 1 + x)",), cex={"x": "5/4", "y": "3/2"},
    tags=("bnb", "eq"))
rel("bnb-near-miss", "le", "log(x)", "x - 1 - 1/10**9", {"x": POS}, False,
    "At x = 1: 0 > -1e-9; the violation is confined to |x - 1| < 4.5e-5.", cex={"x": 1}, tags=("bnb", "near-miss"))
rel("bnb-strict-closed-end", "lt", "1 + x", "exp(x)", {"x": NONNEG}, False,
    "At x = 0 both sides are 1 (the open-end version is true).", cex={"x": 0}, tags=("bnb", "strict"))
rel("bnb-strict-open-end", "lt", "1 + x", "exp(x)", {"x": POS}, True,
    "exp(x) - 1 - x has derivative exp(x) - 1 > 0 on x > 0 and is 0 at 0.", tags=("bnb", "strict"))

CATALOGUE: tuple[Entry, ...] = tuple(_ENTRIES)
TRUE_ENTRIES: tuple[Entry, ...] = tuple(e for e in CATALOGUE if e.truth)
FALSE_ENTRIES: tuple[Entry, ...] = tuple(e for e in CATALOGUE if not e.truth)


def by_id(cid: str) -> Entry:
    """The entry with this id."""
    for e in CATALOGUE:
        if e.id == cid:
            return e
    raise KeyError(cid)
