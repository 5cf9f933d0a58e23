"""Soundness fuzzer: random bound-shaped claims, each verdict checked by an independent oracle.

Hypothesis strategies draw symbols (real and integer; open, closed, unbounded, huge and tiny domains;
names such as ``e``, ``mpf``, ``numpy``, ``beta``, ``lam`` that shadow evaluator names), expressions
(sums, products, quotients, powers with integer, fractional and symbolic exponents, log, exp, sqrt, cbrt,
Min/Max/Abs, atan, tanh, sin/cos, sinh), assumptions (including ones that split the domain in two or
empty it) and claims of every sign and monotonicity kind plus finite limits. Each claim goes through the
prover as ``boundcheck verify`` runs it (``prove_claim`` in a forked worker with a memory cap, killed at
its deadline, so no claim can stall a run; such claims are counted as "killed"); the oracle
(:mod:`fuzz_oracle`, which shares no code with boundcheck) then hunts for a counterexample to every PROVED
(dense high-precision sampling plus a local search; a comparison too close for floating point is decided
exactly when the trees are rational, else not judged) and re-evaluates every REFUTED witness at 200
digits, in a forked child with a hard budget. A verdict the oracle breaks is *unsound* and is written out
with its spec.

Usage:
    python benchmarks/fuzz_soundness.py --minutes 60 --jobs 2 --out /tmp/fuzz
    python benchmarks/fuzz_soundness.py --claims 50          # a fixed number of claims (CI)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import sys
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz_oracle import FUNCS, Oracle, render  # noqa: E402

NAMES = ["x", "y", "n", "e", "mpf", "numpy", "lam", "beta", "t", "z", "mpmath", "exp1", "pi_", "Float"]
ENDS = [None, Fraction(-10), Fraction(-1), Fraction(0), Fraction(1, 2), Fraction(1), Fraction(2), Fraction(100),
        Fraction(10 ** 6), Fraction(1, 10 ** 6), Fraction(10 ** 80)]
MONOTONE = ("increasing", "decreasing", "nondecreasing", "nonincreasing")
KINDS = ("nonnegative", "positive", "le", "lt", "eq") + MONOTONE + ("limit",)


# ---------------------------------------------------------------------------------------------- strategies
@st.composite
def domains(draw, name: str) -> dict:
    integer = draw(st.booleans()) if name in ("n", "numpy", "lam") else draw(st.sampled_from([False, False, True]))
    lo = draw(st.sampled_from(ENDS))
    hi = draw(st.sampled_from(ENDS))
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    lo_open = lo is not None and draw(st.booleans())
    hi_open = hi is not None and draw(st.booleans())
    if lo is not None and hi is not None and lo == hi:
        lo_open = hi_open = False
    if integer and lo is not None and hi is not None and not any(
            lo <= k <= hi for k in range(int(lo) - 1, int(lo) + 3)) and hi - lo < 2:
        hi = lo + 3
    return {"integer": integer, "lo": lo, "hi": hi, "lo_open": lo_open, "hi_open": hi_open}


def leaves(names: list[str]):
    nums = st.one_of(st.integers(-3, 5).map(lambda k: ("int", k)),
                     st.tuples(st.integers(-5, 7), st.integers(2, 9)).filter(lambda pq: Fraction(*pq).denominator > 1)
                     .map(lambda pq: ("frac", Fraction(*pq).numerator, Fraction(*pq).denominator)),
                     st.sampled_from([("pi",), ("E",), ("int", 10 ** 12), ("frac", 1, 10 ** 12)]))
    return st.one_of(st.sampled_from([("sym", n) for n in names]), nums)


def exponents(inner):
    return st.one_of(st.integers(-3, 4).map(lambda k: ("int", k)),
                     st.sampled_from([("frac", 1, 2), ("frac", 1, 3), ("frac", -1, 2), ("frac", 3, 2), ("frac", 2, 3)]),
                     inner)


def expressions(names: list[str], max_leaves: int = 7):
    def extend(inner):
        return st.one_of(
            st.tuples(st.sampled_from(["add", "sub", "mul", "div"]), inner, inner),
            st.tuples(st.just("pow"), inner, exponents(inner)),
            st.tuples(st.just("neg"), inner),
            st.sampled_from([k for k, a in FUNCS.items() if a == 1]).flatmap(
                lambda f: st.tuples(st.just("call"), st.just(f), inner)),
            st.sampled_from([k for k, a in FUNCS.items() if a == 2]).flatmap(
                lambda f: st.tuples(st.just("call"), st.just(f), inner, inner)),
        )
    return st.recursive(leaves(names), extend, max_leaves=max_leaves)


@st.composite
def assumptions(draw, names: list[str]) -> list:
    out = []
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):
        shape = draw(st.sampled_from(["split", "split", "order", "order", "order", "empty", "free", "free", "ne"]))
        x = draw(st.sampled_from(names))
        if shape == "split":  # x**2 >= c: two pieces
            c = draw(st.sampled_from([Fraction(1, 4), Fraction(1), Fraction(4), Fraction(1, 100)]))
            out.append((("pow", ("sym", x), ("int", 2)), ">=", ("frac", c.numerator, c.denominator)))
        elif shape == "order" and len(names) > 1:
            y = draw(st.sampled_from([n for n in names if n != x]))
            out.append((("sym", x), draw(st.sampled_from([">=", ">", "<="])), ("sym", y)))
        elif shape == "empty":  # x**2 < -1 or x >= x + 1: no point
            out.append((("pow", ("sym", x), ("int", 2)), "<", ("int", -1)))
        elif shape == "ne":
            out.append((("sym", x), "!=", ("int", draw(st.integers(-1, 2)))))
        else:
            out.append((draw(expressions(names, 3)), draw(st.sampled_from(["<=", ">=", "<", ">"])),
                        draw(expressions(names, 3))))
    return out


@st.composite
def claims(draw) -> dict:
    k = draw(st.integers(1, 3))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=k, max_size=k, unique=True))
    symbols = {n: draw(domains(n)) for n in names}
    kind = draw(st.sampled_from(KINDS))
    c: dict = {"kind": kind, "symbols": symbols, "assume": draw(assumptions(names))}
    if kind in ("le", "lt", "eq"):
        c["lhs"] = draw(expressions(names))
        c["rhs"] = draw(expressions(names)) if kind != "eq" or draw(st.booleans()) else _rewrite(c["lhs"], draw)
    else:
        c["expr"] = draw(expressions(names))
    if kind in MONOTONE or kind == "limit":
        c["var"] = draw(st.sampled_from(names))
    if kind == "limit":
        c["at"] = draw(st.sampled_from([0, 1, -1, 2]))
        c["value"] = ("int", draw(st.integers(-1, 2)))
    return c


# Tight claims, built true by construction (semantic fusion, as YinYang builds SMT formulas): a known
# inequality lhs(t) <= rhs(t), an equality at t0, composed with t = a*y + b, both sides multiplied by a
# positive factor and shifted by a common term. Its false siblings (lhs + 10**-k <= rhs, or lhs < rhs) fail at
# the known point y0 = (t0 - b)/a: a PROVED there is unsound whatever the sampling finds. These are the claims
# where relaxations, branch-and-bound and tangency arguments are most likely to go wrong.
T = ("sym", "t")
TIGHT = [  # (lhs, rhs, lo, lo_open, hi, t0): lhs <= rhs on the t-domain, equal at t0
    (("call", "log", T), ("sub", T, ("int", 1)), Fraction(0), True, None, Fraction(1)),
    (("add", ("int", 1), T), ("call", "exp", T), None, False, None, Fraction(0)),
    (("call", "sqrt", T), ("div", ("add", ("int", 1), T), ("int", 2)), Fraction(0), False, None, Fraction(1)),
    (("sub", ("int", 1), ("div", ("int", 1), T)), ("call", "log", T), Fraction(0), True, None, Fraction(1)),
    (("call", "sin", T), T, Fraction(0), False, None, Fraction(0)),
    (("div", T, ("add", ("int", 1), T)), ("call", "log", ("add", ("int", 1), T)), Fraction(-1), True, None,
     Fraction(0)),
    (("mul", ("int", 2), T), ("add", ("pow", T, ("int", 2)), ("int", 1)), None, False, None, Fraction(1)),
    (("call", "atan", T), T, Fraction(0), False, None, Fraction(0)),
    (("call", "cbrt", T), ("div", ("add", ("int", 2), T), ("int", 3)), Fraction(0), False, None, Fraction(1)),
    (("call", "tanh", T), T, Fraction(0), False, None, Fraction(0)),
    (("sub", ("int", 1), ("div", ("pow", T, ("int", 2)), ("int", 2))), ("call", "cos", T), None, False, None,
     Fraction(0)),
    (("call", "log", ("add", ("int", 1), T)), ("div", T, ("call", "sqrt", ("add", ("int", 1), T))), Fraction(0),
     False, None, Fraction(0)),
    (("call", "exp", ("neg", T)), ("div", ("int", 1), ("add", ("int", 1), T)), Fraction(0), False, None,
     Fraction(0)),
]


def _subst(tree, by):
    if tree == T:
        return by
    if tree[0] in ("sym", "int", "frac", "pi", "E"):
        return tree
    if tree[0] == "call":
        return ("call", tree[1], *(_subst(a, by) for a in tree[2:]))
    return (tree[0], *(_subst(a, by) for a in tree[1:]))


def _num(q: Fraction):
    return ("int", q.numerator) if q.denominator == 1 else ("frac", q.numerator, q.denominator)


#: Increasing functions and a domain end where they are finite: f(t) <= c on [b - w, b] with c a decimal just
#: above f(b) is true, just below it false at t = b. Aims at enclosures that must be rounded outward (a bound
#: rounded to nearest at 53 bits proves atan(x) <= f(2) - 5e-17 on [0, 2]).
INCREASING = ("atan", "tanh", "sinh", "exp", "log", "sqrt", "cbrt")
ENDS_B = (Fraction(1, 3), Fraction(1, 2), Fraction(1), Fraction(7, 5), Fraction(2), Fraction(3), Fraction(10))


@st.composite
def value_claims(draw) -> dict:
    """f(y) <= c with c a decimal within 10**-k of max f: true (c above) or false at the known point."""
    import mpmath

    f = draw(st.sampled_from(INCREASING))
    b = draw(st.sampled_from(ENDS_B))
    w = draw(st.sampled_from([b / 2, b, Fraction(1, 1000)] if f in ("log",) else [b, Fraction(1, 1000), b + 1]))
    lo = b - w
    if f in ("log", "sqrt", "cbrt") and lo <= 0:
        lo = b / 4
    k = draw(st.sampled_from([12, 15, 16, 17, 18, 20, 25]))
    with mpmath.workdps(80):
        fb = getattr(mpmath, f)(mpmath.mpf(b.numerator) / b.denominator)
        scaled = int(mpmath.floor(fb * 10 ** k))
        exact = abs(fb * 10 ** k - mpmath.nint(fb * 10 ** k)) < mpmath.mpf(10) ** -40  # sqrt(1) = 1: rational
        if exact:
            scaled = int(mpmath.nint(fb * 10 ** k))
    above = draw(st.booleans())
    # f(b) irrational: c is strictly above or below it; f(b) = scaled / 10**k exactly: c = f(b) or just below
    c = Fraction(scaled + (0 if exact else 1) if above else scaled - (1 if exact else 0), 10 ** k)
    name = draw(st.sampled_from(NAMES))
    out: dict = {"kind": "le", "lhs": ("call", f, ("sym", name)), "rhs": _num(c), "assume": [],
                 "origin": f"value ({'true' if above else 'false'})",
                 "symbols": {name: {"integer": False, "lo": lo, "hi": b, "lo_open": False, "hi_open": False}}}
    if not above:
        out["false_at"] = {name: b}
    return out


@st.composite
def tight_claims(draw) -> dict:
    """A claim tight at a known point, true or (with ``false_at``) false there by construction."""
    if draw(st.integers(0, 3)) == 0:
        return draw(value_claims())
    lhs, rhs, lo, lo_open, hi, t0 = draw(st.sampled_from(TIGHT))
    name = draw(st.sampled_from(NAMES))
    a = Fraction(draw(st.sampled_from([1, 1, -1, 2, 3, -2])), draw(st.sampled_from([1, 1, 2, 3])))
    b = Fraction(draw(st.integers(-3, 3)), draw(st.sampled_from([1, 2])))
    y = ("sym", name)
    by = ("add", ("mul", _num(a), y), _num(b)) if (a, b) != (1, 0) else y
    y0 = (t0 - b) / a
    # the y-domain: the preimage of the t-domain, cut to a window around y0 (sometimes left unbounded)
    ends = []
    for end, is_open in ((lo, lo_open), (hi, False)):
        ends.append(None if end is None else ((end - b) / a, is_open))
    if a < 0:
        ends.reverse()
    (ylo, ylo_open), (yhi, yhi_open) = [(None, False) if e is None else e for e in ends]
    w = draw(st.sampled_from([Fraction(1, 1000), Fraction(1, 2), Fraction(3), Fraction(100), None]))
    if w is not None:
        if ylo is None or y0 - w > ylo:
            ylo, ylo_open = y0 - w, draw(st.booleans())
        if yhi is None or y0 + w < yhi:
            yhi, yhi_open = y0 + w, draw(st.booleans())
    if ylo is not None and ylo == y0 and ylo_open:
        ylo_open = False  # keep the tight point in the domain
    if yhi is not None and yhi == y0 and yhi_open:
        yhi_open = False
    L, R = _subst(lhs, by), _subst(rhs, by)
    factor = draw(st.sampled_from([None, ("add", ("int", 1), ("pow", y, ("int", 2))), ("call", "exp", y),
                                   ("int", 3)]))
    if factor is not None:
        L, R = ("mul", factor, L), ("mul", factor, R)
    shift = draw(st.sampled_from([None, ("call", "log", ("add", ("int", 2), ("pow", y, ("int", 2)))),
                                  ("call", "sqrt", ("add", ("int", 1), ("call", "Abs", y))), ("sym", name)]))
    if shift is not None:
        L, R = ("add", L, shift), ("add", shift, R)
    variant = draw(st.sampled_from(["true", "true", "eps", "strict"]))
    c: dict = {"kind": "le", "lhs": L, "rhs": R, "assume": [], "origin": f"tight ({variant})",
               "symbols": {name: {"integer": False, "lo": ylo, "hi": yhi, "lo_open": ylo_open,
                                  "hi_open": yhi_open}}}
    if variant == "eps":
        c["lhs"] = ("add", L, ("frac", 1, 10 ** draw(st.integers(3, 15))))
        c["false_at"] = {name: y0}
    elif variant == "strict":
        c["kind"] = "lt"
        c["false_at"] = {name: y0}
    return c


def _rewrite(t, draw):
    """An expression equal to ``t`` written differently (for true eq claims)."""
    shape = draw(st.sampled_from(["add0", "mul1", "swap"]))
    if shape == "add0":
        return ("add", t, ("sub", ("int", 1), ("int", 1)))
    if shape == "mul1":
        return ("mul", t, ("div", ("pi",), ("pi",)))
    return ("add", ("int", 0), t)


# ---------------------------------------------------------------------------------------------- spec
def _bound(v: Fraction) -> str:
    if v.denominator == 1 and abs(v.numerator) > 10 ** 30:
        k = len(str(abs(v.numerator))) - 1
        if abs(v.numerator) == 10 ** k:
            return f"{'-' if v < 0 else ''}10**{k}"
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def spec_dict(c: dict) -> dict:
    syms = {}
    for n, d in c["symbols"].items():
        entry: dict = {"kind": "integer" if d["integer"] else "real"}
        if d["lo"] is not None:
            entry["min_open" if d["lo_open"] else "min"] = _bound(d["lo"])
        if d["hi"] is not None:
            entry["max_open" if d["hi_open"] else "max"] = _bound(d["hi"])
        syms[n] = entry
    claim: dict = {"id": "c", "kind": c["kind"]}
    for k in ("expr", "lhs", "rhs"):
        if k in c:
            claim[k] = render(c[k])
    if "var" in c:
        claim["var"] = c["var"]
    if c["kind"] == "limit":
        claim["at"] = c["at"]
        claim["value"] = render(c["value"])
    if c["assume"]:
        claim["assume"] = [f"{render(a)} {op} {render(b)}" for a, op, b in c["assume"]]
    return {"name": "fuzz", "symbols": syms, "claims": [claim]}


def to_toml(d: dict) -> str:
    lines = [f'name = "{d["name"]}"', "[symbols]"]
    for n, e in d["symbols"].items():
        inner = ", ".join(f'{k} = "{v}"' for k, v in e.items())
        lines.append(f"{n} = {{ {inner} }}")
    for c in d["claims"]:
        lines.append("[[claims]]")
        for k, v in c.items():
            lines.append(f"{k} = {json.dumps(v)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- one claim
#: Wall-clock budget of the oracle on one claim. The oracle evaluates at 40-200 digits with pure-Python mpmath;
#: on claims such as sin(pi**y) with y up to 1e6 its argument reduction needs millions of bits and would stall
#: the run (the prover itself decides that claim in 0.2 s). Past the budget the claim gets no judgement.
ORACLE_SECONDS = 30.0


class _OracleTimeout(BaseException):
    """The oracle ran out of its budget on one claim."""


def _oracle_out_of_time(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _OracleTimeout()


def _judge(c: dict, status: str, vacuous: bool, witness: dict | None, rng_seed: int) -> tuple[str | None, bool, int]:
    """(unsound reason or None, oracle timed out, close calls): the oracle on one verdict, under its budget."""
    oracle = Oracle(dict(c, vacuous=vacuous), random.Random(rng_seed))
    bad = None
    timed_out = False
    old_handler = signal.signal(signal.SIGALRM, _oracle_out_of_time)
    signal.setitimer(signal.ITIMER_REAL, ORACLE_SECONDS)
    try:
        if status == "proved":
            bad = oracle.check_proved()
        elif status == "refuted" and witness is not None:
            bad = oracle.check_refuted(witness)
    except (ArithmeticError, ValueError, OverflowError, RecursionError, MemoryError):
        bad = None  # the oracle cannot evaluate (TooBig, ...): no judgement
    except _OracleTimeout:
        bad = None  # no judgement either, but counted, so a run says how often the oracle gave up
        timed_out = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
    return bad, timed_out, oracle.close_calls


def _judge_child(conn, *args) -> None:
    try:
        conn.send(_judge(*args))
    finally:
        conn.close()


def _judge_killable(*args) -> tuple[str | None, bool, int]:
    """:func:`_judge` in a forked child killed past its budget: mpmath with gmpy2 spends long stretches in C
    code (argument reduction of sin(pi**y) for y ~ 1e6) where the alarm does not land."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return _judge(*args)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_judge_child, args=(child, *args))
    p.start()
    child.close()
    try:
        if parent.poll(ORACLE_SECONDS + 10):
            return parent.recv()
        return None, True, 0
    except (EOFError, OSError):  # the child died (memory): no judgement
        return None, True, 0
    finally:
        if p.is_alive():
            p.kill()
        p.join()
        parent.close()


def _false_by_construction(c: dict) -> str | None:
    """Why a PROVED tight claim is false: its violation at the known point, confirmed by the oracle."""
    pt = c["false_at"]
    oracle = Oracle(c, random.Random(0))
    if not oracle.in_domain(pt):
        return None
    try:
        if c["kind"] == "lt":  # lhs = rhs at the point by construction; check it is consistent with that
            import mpmath

            from fuzz_oracle import value

            d = value(c["rhs"], pt, 200) - value(c["lhs"], pt, 200)
            ok = abs(d) < mpmath.mpf(10) ** -150
            return f"PROVED '<', but lhs = rhs at {pt} by construction (|rhs - lhs| < 1e-150)" if ok else None
        why = oracle.violation(pt, 200)
    except (ArithmeticError, ValueError):
        return None
    return f"PROVED, but false by construction at {pt}: {why}" if why else None


def run_claim(c: dict, timeout: float, rng_seed: int) -> tuple[str, str | None, dict]:
    """(verdict status or 'rejected'/'error'/'killed', unsound reason or None, the spec dict).

    The claim is proved as ``boundcheck verify`` proves it: in a forked worker with a memory cap, killed at
    its deadline plus a grace period (``boundcheck.prove._worker.run_claims``), so no claim can stall a run.
    """
    from boundcheck.errors import BoundcheckError
    from boundcheck.prove._worker import run_claims
    from boundcheck.prove.ladder import prove_claim
    from boundcheck.spec import problem_from_dict

    d = spec_dict(c)
    try:
        problem = problem_from_dict(d)
    except (BoundcheckError, ValueError, TypeError, RecursionError, OverflowError, MemoryError):
        return "rejected", None, d
    (v,) = run_claims(problem.claims, lambda claim, t: prove_claim(problem, claim, timeout=t, seed=rng_seed),
                      timeouts=[timeout])
    status = v.status.value
    if "internal error" in v.reason:
        return "error", None, d | {"reason": v.reason}
    if status == "unknown" and any(w in v.reason for w in ("worker was stopped", "worker died", "memory")):
        return "killed", None, d | {"reason": v.reason}
    witness = dict(v.witness.point) if status == "refuted" and v.witness is not None else None
    bad, oracle_timeout, close = _judge_killable(c, status, v.vacuous, witness, rng_seed)
    if status == "proved" and not bad and "false_at" in c:
        bad = _false_by_construction(c)
    if oracle_timeout:
        d = d | {"oracle": "timeout"}
    if close:
        d = d | {"close_calls": close}
    if bad:
        d = d | {"verdict": v.summary()}
    return ("proved (vacuous)" if v.vacuous else status), bad, d


# ---------------------------------------------------------------------------------------------- driver
def _drop_hypothesis_gc_callbacks() -> None:
    """Hypothesis times garbage collection with a ``gc.callbacks`` hook; an exception raised inside a gc
    callback is swallowed, so the prover's SIGALRM time limit landing there would be lost and a runaway
    claim could hang the run. The hook is not needed while the prover (not Hypothesis) runs."""
    import gc

    gc.callbacks[:] = [cb for cb in gc.callbacks if "hypothesis" not in getattr(cb, "__module__", "")]


def worker(args: tuple) -> dict:
    wid, deadline, max_claims, timeout, out_dir, base_seed, tight = args
    counts: Counter = Counter()
    unsound: list[dict] = []
    tried = 0
    rng = random.Random(base_seed + wid)
    chunk = 0
    while time.time() < deadline and (max_claims is None or tried < max_claims):
        chunk += 1
        batch: list[dict] = []

        @seed(base_seed * 1000 + wid * 100000 + chunk)
        @settings(max_examples=25, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(st.one_of(claims(), tight_claims()) if tight else claims())
        def draw(c):
            batch.append(c)

        draw()
        _drop_hypothesis_gc_callbacks()
        for c in batch:
            if time.time() >= deadline or (max_claims is not None and tried >= max_claims):
                break
            if out_dir:  # the claim in flight, to diagnose a hang or a crash
                Path(out_dir, f"current-{wid}.toml").write_text(to_toml(spec_dict(c)), encoding="utf-8")
            t0 = time.time()
            status, bad, d = run_claim(c, timeout, rng.randint(0, 10 ** 6))
            took = time.time() - t0
            if took > 4 * timeout + 5:
                counts["slow (> 4x timeout)"] += 1
                if out_dir:
                    Path(out_dir, f"slow-{wid}-{counts['slow (> 4x timeout)']}.toml").write_text(
                        f"# {took:.1f} s\n" + to_toml(d), encoding="utf-8")
            counts[status] += 1
            if c.get("origin"):
                counts[f"{c['origin']}: {status}"] += 1
            if d.get("oracle") == "timeout":
                counts["oracle timeout (no judgement)"] += 1
            if d.get("close_calls"):
                counts["proved, some points too close to call (not judged there)"] += 1
            if status == "killed" and out_dir:
                p = Path(out_dir) / f"killed-{wid}-{counts['killed']}.toml"
                p.write_text(f"# {d.get('reason')}\n" + to_toml(d), encoding="utf-8")
            if status not in ("rejected",):
                tried += 1
            if out_dir:  # running figures, so a run stopped from outside still reports
                Path(out_dir, f"progress-{wid}.json").write_text(json.dumps(
                    {"tried": tried, "counts": dict(counts), "unsound": len(unsound) + bool(bad)}), encoding="utf-8")
            if bad:
                rec = {"reason": bad, "spec": to_toml(d), "verdict": d.get("verdict")}
                unsound.append(rec)
                if out_dir:
                    p = Path(out_dir) / f"unsound-{wid}-{len(unsound)}.toml"
                    p.write_text(f"# {bad}\n# {d.get('verdict')}\n" + to_toml(d), encoding="utf-8")
            if status == "error" and out_dir:
                p = Path(out_dir) / f"error-{wid}-{counts['error']}.toml"
                p.write_text(f"# {d.get('reason')}\n" + to_toml(d), encoding="utf-8")
    return {"tried": tried, "counts": dict(counts), "unsound": unsound}


def _worker_to_queue(task: tuple, queue) -> None:
    try:
        queue.put(worker(task))
    except BaseException as err:  # noqa: BLE001 - a worker that dies must still report, or the run hangs
        queue.put({"tried": 0, "counts": {f"worker crashed ({type(err).__name__})": 1}, "unsound": []})
        raise


def fuzz(*, minutes: float | None = None, claims_budget: int | None = None, jobs: int = 1, timeout: float = 3.0,
         out_dir: str | None = None, base_seed: int = 0, tight: bool = True) -> dict:
    start = time.time()
    deadline = start + (minutes * 60 if minutes is not None else 10 ** 9)
    per = None if claims_budget is None else max(1, claims_budget // jobs)
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    tasks = [(w, deadline, per, timeout, out_dir, base_seed, tight) for w in range(jobs)]
    if jobs == 1:
        results = [worker(tasks[0])]
    else:  # plain (non-daemon) processes: each may fork the prover's killable workers
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        procs = [ctx.Process(target=_worker_to_queue, args=(t, queue)) for t in tasks]
        for p in procs:
            p.start()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
    counts: Counter = Counter()
    unsound = []
    tried = 0
    for r in results:
        counts.update(r["counts"])
        unsound.extend(r["unsound"])
        tried += r["tried"]
    seconds = time.time() - start
    return {"tried": tried, "counts": dict(counts), "unsound": unsound, "seconds": seconds,
            "throughput": tried / seconds if seconds else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=None, help="run for this many minutes")
    ap.add_argument("--claims", type=int, default=None, help="stop after this many claims")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3.0, help="prover timeout per claim (s)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-tight", action="store_true",
                    help="draw only random claims (by default about half are tight claims built by construction)")
    ap.add_argument("--out", default=None, help="folder for unsound specs and the summary JSON")
    a = ap.parse_args(argv)
    if a.minutes is None and a.claims is None:
        a.claims = 30
    r = fuzz(minutes=a.minutes, claims_budget=a.claims, jobs=a.jobs, timeout=a.timeout, out_dir=a.out,
             base_seed=a.seed, tight=not a.no_tight)
    c = r["counts"]
    print(f"claims tried: {r['tried']} in {r['seconds']:.0f} s ({r['throughput']:.2f} claims/s, {a.jobs} job(s))")
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    print(f"unsound found: {len(r['unsound'])}")
    for u in r["unsound"]:
        print(f"--- {u['reason']}\n# {u['verdict']}\n{u['spec']}")
    if a.out:
        Path(a.out, "summary.json").write_text(json.dumps(r, indent=1, default=str), encoding="utf-8")
    return 1 if r["unsound"] else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
