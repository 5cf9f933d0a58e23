"""Exact rational values of interval endpoints (layer 3 helper; no solver imports).

An mpmath interval's endpoint is a binary float of the interval context's precision (about 136 bits); an arb
ball's ends are binary floats too. Converting one through ``mpmath.mpf(...)`` rounds it to *nearest* at the
working precision (53 bits), which undoes outward rounding: a bound 2e-17 below tanh(7/5) proved
``tanh(t) <= c`` for a c just below the maximum. These helpers convert exactly instead.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = ["mpf_tuple_fraction", "iv_ends", "iv_bounds", "arb_ends", "outward", "BOUND_DIGITS"]

#: Ends beyond +-10**BOUND_DIGITS are not made exact (exp(10**80) would be an integer of 10**80 digits).
BOUND_DIGITS = 1000


def mpf_tuple_fraction(t: tuple) -> Fraction | None:
    """The exact value of an mpmath ``_mpf_`` tuple (sign, mantissa, exponent, bits); None if not finite."""
    sign, man, exp, _ = t
    if not man:
        # zero has exponent 0; +-inf and nan have a zero mantissa and a nonzero special exponent
        return Fraction(0) if exp == 0 else None
    v = Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)
    return -v if sign else v


def iv_ends(interval) -> tuple[Fraction | None, Fraction | None]:
    """The exact ends of an mpmath ``iv`` interval (None for an infinite end)."""
    a, b = interval._mpi_
    return mpf_tuple_fraction(a), mpf_tuple_fraction(b)


def _magnitude_bits(t: tuple) -> int:
    sign, man, exp, bc = t
    return exp + bc if man else 0


def iv_bounds(interval) -> tuple[Fraction | None, Fraction | None]:
    """Exact rational bounds lo <= every value <= hi of an mpmath ``iv`` interval, for the side constraints
    of a prover: None where there is no usable bound (an infinite end, or an end far beyond
    10**BOUND_DIGITS), and the weaker 10**BOUND_DIGITS (or -10**BOUND_DIGITS) where a huge end still gives
    one (a lower end above 10**1000 gives lo = 10**1000); an end below 10**-BOUND_DIGITS in magnitude is
    replaced by 0 or +-10**-BOUND_DIGITS on its outer side."""
    a, b = interval._mpi_
    limit = int(BOUND_DIGITS * 3.33) + 2  # bits of 10**BOUND_DIGITS, rounded up
    big = Fraction(10) ** BOUND_DIGITS
    out: list[Fraction | None] = []
    small = 1 / big
    for t, lower in ((a, True), (b, False)):
        if t[1] and _magnitude_bits(t) < -limit:  # nonzero but below 10**-BOUND_DIGITS in magnitude
            positive = not t[0]
            out.append((Fraction(0) if positive else -small) if lower else (small if positive else Fraction(0)))
            continue
        if _magnitude_bits(t) > limit:
            positive = not t[0]
            if t[1] == 0:  # infinite
                out.append(None)
            elif lower:
                out.append(big if positive else None)
            else:
                out.append(-big if not positive else None)
            continue
        q = mpf_tuple_fraction(t)
        if q is not None and abs(q) >= big:
            q = (big if q > 0 else None) if lower else (-big if q < 0 else None)
        out.append(q)
    return out[0], out[1]


def arb_ends(ball) -> tuple[Fraction, Fraction]:
    """The exact ends of a finite python-flint ``arb`` ball."""
    out = []
    for end in (ball.lower(), ball.upper()):
        man, exp = end.mid().man_exp()
        man, exp = int(man), int(exp)
        out.append(Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp))
    return out[0], out[1]


def outward(q: Fraction, up: bool, digits: int) -> Fraction:
    """A multiple of 10**-digits at or beyond ``q`` (above it when ``up``), exactly."""
    scale = 10 ** digits
    return Fraction(math.ceil(q * scale) if up else math.floor(q * scale), scale)
