"""The verification ladder (layer 3): runs the rungs for each claim and returns Verdicts.

Rungs, each sound on its own: (a) the sign/monotonicity calculus, also on the derivative; (b) z3 on the
polynomial encoding of :mod:`boundcheck.prove.smt`; (c) the derivative method (``g >= 0`` on ``[a, b)`` from
``g(a) >= 0`` and ``g' >= 0``); (d) the numeric refuter, which can only refute. Asymptotic claims (limit at
oo, exponent) go through the case analysis of :mod:`boundcheck.symbolic`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import sympy as sp

from .._timebox import TimeLimit, time_limit
from ..errors import UnsupportedError
from ..spec import MONOTONE_KINDS, Claim, Problem, Symbol
from ..symbolic import simplify_forms
from .asymptotic import prove_asymptotic
from .calculus import ANY as ANY_SIGN
from .calculus import NEG, NONNEG, NONPOS, POS, ZERO, Bound, Box, Calculus, sign_neg
from .refute import Goal, confirm_point, search_monotone, search_nonneg, search_undefined
from .smt import check_goal
from ._record import box_data, monotone_step, sign_step
from .proof import Proof, Step, claim_fingerprint, sign_key, text_step
from .verdict import Certificate, Status, Verdict

__all__ = ["verify", "prove_claim", "Progress"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "claim"


class _Context:
    """Everything one claim needs: its symbols, hypotheses, calculus box, deadline."""

    def __init__(self, problem: Problem, claim: Claim, timeout: float, seed: int) -> None:
        self.problem = problem
        self.claim = claim
        self.timeout = timeout
        self.seed = seed
        self.start = time.monotonic()
        exprs = [e for e in (claim.expr, claim.lhs, claim.rhs) if e is not None] + list(claim.defined)
        free: set[sp.Symbol] = set()
        for e in exprs:
            free |= e.free_symbols
        self.hypotheses: tuple[sp.Basic, ...] = tuple(problem.assumptions) + tuple(claim.assume)
        for h in self.hypotheses:
            free |= h.free_symbols
        if claim.var:
            free.add(problem.symbol(claim.var).sym)
        self.symbols: list[Symbol] = [s for s in problem.symbols if s.sym in free]
        rels: list[sp.Basic] = []
        for s in self.symbols:
            rels.extend(s.constraints())
        self.domain = tuple(rels)
        self.box = Box.from_relations([s.sym for s in self.symbols], rels + list(self.hypotheses),
                                      [s.sym for s in self.symbols if s.is_integer])
        self.calc = Calculus(self.box)
        self.reasons: list[str] = []
        # a witness must satisfy the assumptions *as written*: where a partial term of an assumption is
        # undefined (x**y <= x**y at x < 0, which sympy evaluates to True) the point is not in the set.
        # |t| >= 0 is certified exactly where t is defined, so these guards say just that.
        guards = tuple(sp.GreaterThan(sp.Abs(t), 0, evaluate=False)
                       for t in getattr(claim, "assume_defined", ()) if t.free_symbols)
        self.witness_assume: tuple[sp.Basic, ...] = self.hypotheses + guards

    def left(self) -> float:
        return self.timeout - (time.monotonic() - self.start)

    def verdict(self, status: Status, method: str, **kw) -> Verdict:
        return Verdict(self.claim.id, status, method, seconds=time.monotonic() - self.start, **kw)

    def proof(self, method: str, steps: Sequence[Step], goal: sp.Expr | None = None, box: Box | None = None) -> Proof:
        """The proof object of a verdict: the steps, tied to this claim by its fingerprint."""
        return Proof(method, claim_fingerprint(self.problem, self.claim), sp.srepr(goal) if goal is not None else "",
                     box_data(box if box is not None else self.box), tuple(steps))


def verify(problem: Problem, *, timeout: float = 10.0, certificates_dir: str | Path | None = None, seed: int = 0,
           progress: Progress | None = None, jobs: int = 1,
           meanwhile: Callable[[], None] | None = None, dask: object | None = None) -> tuple[Verdict, ...]:
    """Prove or refute every claim of ``problem`` (its claims, then its derivation steps).

    Args:
        problem: the spec.
        timeout: seconds per claim; a claim that runs out is UNKNOWN.
        certificates_dir: where to write the SMT-LIB2 obligations of claims proved by z3.
        seed: seed of the numeric refuter.
        progress: called as ``progress(claim_id, index, total)`` before each claim.
        jobs: claims proved at once, each in its own worker process (same verdicts as ``jobs=1``).
        meanwhile: work for this process while the workers prove (see :func:`._worker.run_claims`).
        dask: address of a dask.distributed scheduler (or a ``distributed.Client``): prove the claims there, one
            task per claim, instead of local worker processes (same verdicts; a task runs in a worker thread,
            where the hard alarm of the local workers is not available, so only the rungs' own clocks bound it).

    Each claim runs in a worker process killed at its deadline and capped in memory
    (:mod:`boundcheck.prove._worker`); ``timeout`` caps a claim's own ``timeout``.

    Returns:
        One Verdict per claim, in ``problem.all_claims`` order.

    Raises:
        UsageError: ``timeout`` not finite and positive, or ``jobs`` < 1.
    """
    from ._worker import check_timeout, run_claims

    timeout = check_timeout(timeout)
    claims = problem.all_claims
    if dask is not None:
        return _verify_dask(problem, claims, dask, timeout=timeout, seed=seed, certificates_dir=certificates_dir,
                            progress=progress, meanwhile=meanwhile)
    return run_claims(claims, lambda claim, t: prove_claim(problem, claim, timeout=t, seed=seed),
                      timeouts=[min(claim.timeout or timeout, timeout) for claim in claims],
                      certificates_dir=certificates_dir, jobs=jobs, progress=progress, meanwhile=meanwhile)


def _verify_dask(problem: Problem, claims: Sequence[Claim], dask: object, *, timeout: float, seed: int,
                 certificates_dir: str | Path | None, progress: Progress | None,
                 meanwhile: Callable[[], None] | None) -> tuple[Verdict, ...]:
    """One dask task per claim (``prove_claim`` with the claim's timeout); verdicts in claim order."""
    from ..errors import UsageError
    from ._worker import _write_certificate

    try:
        from distributed import Client, as_completed
    except ImportError as err:  # pragma: no cover - dask is a dependency of the test extra
        raise UsageError('--dask needs dask.distributed: pip install "dask[distributed]"') from err
    own = isinstance(dask, str)
    if own:
        try:
            client = Client(dask, timeout=10)
        except (OSError, TimeoutError) as err:
            raise UsageError(f"cannot connect to the dask scheduler at {dask!r}: {err}") from err
    else:
        client = dask
    try:
        futures = {client.submit(prove_claim, problem, claim, timeout=min(claim.timeout or timeout, timeout),
                                 seed=seed, pure=False): i for i, claim in enumerate(claims)}
        if meanwhile is not None:
            meanwhile()
        out: list[Verdict | None] = [None] * len(claims)
        for done, fut in enumerate(as_completed(list(futures)), 1):
            i = futures[fut]
            out[i] = fut.result()
            if progress is not None:
                progress(claims[i].id, done, len(claims))
    finally:
        if own:
            client.close()
    used: set[str] = set()
    if certificates_dir is not None:
        out = [_write_certificate(v, c.id, certificates_dir, used) for c, v in zip(claims, out)]
    if progress is not None:
        progress("", len(claims), len(claims))
    return tuple(out)  # type: ignore[arg-type]


def prove_claim(problem: Problem, claim: Claim, *, timeout: float = 10.0, certificates_dir: str | Path | None = None,
                seed: int = 0) -> Verdict:
    """Run the ladder on one claim; never raises for solver trouble (that is UNKNOWN)."""
    ctx = _Context(problem, claim, timeout, seed)
    try:
        # the rungs watch the clock themselves; the alarm catches symbolic work that runs away (a
        # simplify on an unlucky input), with a short grace period so a rung's own timeout normally wins
        with time_limit(timeout * 1.1 + 0.5):
            empty = _empty_domain(ctx)
            if empty is not None:
                v = ctx.verdict(Status.PROVED, "vacuous", vacuous=True, certificate=Certificate(
                    "vacuous", f"the domain with the assumptions has no point ({empty}); the claim holds vacuously"),
                    proof=ctx.proof("vacuous", [Step("vacuous", text="The domain with the assumptions has no point ("
                                                     + empty.replace("{", "(").replace("}", ")")
                                                     + "), so the claim holds vacuously.")]))
            elif claim.kind in MONOTONE_KINDS:
                v = _monotone(ctx)
            elif claim.kind in ("limit", "exponent"):
                v = prove_asymptotic(ctx)
            elif claim.kind in ("threshold", "optimum"):
                from .optimum import prove_optimum
                from .threshold import prove_threshold

                v = (prove_threshold if claim.kind == "threshold" else prove_optimum)(ctx)
            else:
                v = _sign_claim(ctx)
    except TimeLimit:
        v = ctx.verdict(Status.UNKNOWN, "none", reason=f"timeout after {timeout:g} s"
                        + (f" ({'; '.join(ctx.reasons)})" if ctx.reasons else ""))
    except UnsupportedError as err:
        v = ctx.verdict(Status.UNKNOWN, "none", reason=f"unsupported: {err}")
    except RecursionError:
        v = ctx.verdict(Status.UNKNOWN, "none", reason="expression nested too deeply")
    except MemoryError:
        # a number too large to hold (cbrt(b)**(10**12*b) at b = 10**6), or the worker's memory cap
        v = ctx.verdict(Status.UNKNOWN, "none", reason="out of memory (a value too large to compute with)")
    except (ArithmeticError, ValueError, TypeError, AttributeError, NotImplementedError, LookupError,
            AssertionError) as err:
        # a bug or a sympy corner case in some rung: UNKNOWN is always a sound answer; say so plainly
        log.warning("claim %s: internal error %s: %s", claim.id, type(err).__name__, err, exc_info=True)
        v = ctx.verdict(Status.UNKNOWN, "none", reason=f"internal error ({type(err).__name__}: {err}); "
                                                         "please report it")
    if v.status is Status.PROVED and v.proof is None and v.method in ("routine", "threshold", "optimum"):
        # the referee's rungs state their argument as text (their sub-claims carry their own proofs)
        from dataclasses import replace as _replace

        from .proof import text_step

        text = v.certificate.detail.replace("{", "{{").replace("}", "}}")
        children = [step for sub in getattr(ctx, "sub_verdicts", ()) if sub.proof is not None
                    for step in sub.proof.steps]
        v = _replace(v, proof=ctx.proof(v.method, [text_step(v.method, text, children=children)]))
    cond = _conditional_on(problem, claim)
    if cond and v.status is Status.PROVED and not v.vacuous:
        from dataclasses import replace as _replace

        v = _replace(v, conditional=cond)
    if v.status is Status.PROVED and certificates_dir is not None and v.certificate and v.certificate.smtlib:
        d = Path(certificates_dir)
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"{_safe_name(claim.id)}.smt2"
        path.write_text(v.certificate.smtlib, encoding="utf-8")
        from dataclasses import replace

        v = replace(v, certificate=replace(v.certificate, path=str(path)))
    return v


def _empty_domain(ctx: _Context) -> str | None:
    """Why the domain with the claim's assumptions has no point, or None when it may have one.

    An integer symbol whose interval holds no integer, an interval with lo > hi, or (with assumptions)
    z3 answering unsat on the domain and the assumptions alone (a sound encoding over-approximates, so
    unsat means empty).
    """
    for s in ctx.symbols:
        lo, hi = s.lo, s.hi
        if lo is not None and hi is not None and (bool(lo > hi) or (bool(sp.Eq(lo, hi)) and (s.lo_open or s.hi_open))):
            return f"{s.name} has an empty interval"
        if s.is_integer and lo is not None and hi is not None:
            first = lo + 1 if (s.lo_open and sp.ceiling(lo) == lo) else sp.ceiling(lo)
            last = hi - 1 if (s.hi_open and sp.floor(hi) == hi) else sp.floor(hi)
            if bool(first > last):
                return f"no integer {s.name} lies in its interval"
    if not ctx.hypotheses:
        return None
    ints = [s.sym for s in ctx.symbols if s.is_integer]
    try:
        res = check_goal(sp.Integer(-1), strict=False, equality=False, symbols=[s.sym for s in ctx.symbols],
                         hypotheses=tuple(ctx.domain) + tuple(ctx.hypotheses), calculus=ctx.calc,
                         timeout=max(0.2, min(2.0, ctx.left() / 5)), refinements=0, name="vacuity", integers=ints)
    except (UnsupportedError, ArithmeticError, ValueError, TypeError, MemoryError):
        return None  # no encoding of the assumptions: emptiness is simply not known
    if res.status == "unsat":
        return "z3 answers unsat on the domain and the assumptions alone"
    return None


def _conditional_on(problem: Problem, claim: Claim) -> tuple[str, ...]:
    """The ``using`` relations of a derivation step that are neither an assumption of the spec nor the
    relation of an earlier step: the step is proved only conditionally on them."""
    if claim.source != "derivation":
        return ()
    steps = problem.derivation
    idx = next((i for i, st in enumerate(steps) if st.id == claim.id), None)
    if idx is None:
        return ()
    step = steps[idx]
    known: set = set(problem.assumptions)
    for st in steps[:idx]:
        c = st.claim
        rel = sp.LessThan(c.lhs, c.rhs) if c.kind == "le" else (
            sp.StrictLessThan(c.lhs, c.rhs) if c.kind == "lt" else sp.Eq(c.lhs, c.rhs))
        known.add(rel)
        known.add(rel.reversed)
    n_using = len(step.using)
    using_rels = claim.assume[:n_using]
    out = []
    for text, rel in zip(step.using, using_rels):
        if rel in known or getattr(rel, "reversed", None) in known:
            continue
        out.append(text)
    return tuple(out)


# ---------------------------------------------------------------------------------------------- sign claims
def _goal_of(claim: Claim) -> Goal:
    if claim.kind == "nonnegative":
        return Goal(claim.expr, strict=False, label="expr")
    if claim.kind == "positive":
        return Goal(claim.expr, strict=True, label="expr")
    if claim.kind == "le":
        return Goal(claim.rhs - claim.lhs, strict=False, label="rhs - lhs")
    if claim.kind == "lt":
        return Goal(claim.rhs - claim.lhs, strict=True, label="rhs - lhs")
    if claim.kind == "eq":
        return Goal(claim.lhs - claim.rhs, equality=True, label="lhs - rhs")
    raise UnsupportedError(f"claim kind {claim.kind}")


def _target(goal: Goal) -> frozenset:
    return ZERO if goal.equality else (POS if goal.strict else NONNEG)


def _definedness(ctx: _Context, exprs: Sequence[sp.Expr]) -> tuple[bool, list[str]]:
    """Whether every expression is defined on the domain: calculus first, then z3 on the side conditions."""
    pending = []
    for e in exprs:
        if e.has(sp.I, sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity):
            return False, [f"{e} is not a finite real number"]
        for term, need in ctx.calc.side_conditions(e):
            if not need:
                return False, [f"cannot show {term} is defined on the domain"]
            pending.append((term, need))
    notes = []
    for term, need in pending:
        if ctx.left() <= 0:
            return False, ["time out while checking definedness"]
        strict = need != NONNEG
        if need == frozenset({-1, 1}):
            # nonzero: positive, negative, or never zero under the hypotheses (e.g. Ne(x, 1))
            ok = _smt_sign(ctx, term, True) or _smt_sign(ctx, -term, True) or _smt_sign(ctx, term, True, nonzero=True)
        else:
            ok = _smt_sign(ctx, term, strict)
        if not ok:
            rel = "!=" if need == frozenset({-1, 1}) else (">" if strict else ">=")
            return False, [f"cannot show {term} {rel} 0 on the domain (needed for definedness)"]
        notes.append(f"{term} {'>' if strict else '>='} 0 by z3")
    return True, notes


def _smt_sign(ctx: _Context, g: sp.Expr, strict: bool, nonzero: bool = False) -> bool:
    try:
        res = check_goal(g, strict=strict, equality=False, symbols=[s.sym for s in ctx.symbols],
                         hypotheses=ctx.domain + ctx.hypotheses, calculus=ctx.calc, timeout=max(0.5, ctx.left() / 3),
                         refinements=0, name="side condition", nonzero=nonzero)
    except UnsupportedError:
        return False
    return res.status == "unsat"


def _rewrite(g: sp.Expr, form: sp.Expr, inner: Step) -> Step:
    """``inner`` is about ``form``, an equal rewriting of ``g`` (none when they are the same)."""
    if form == g:
        return inner
    return Step("rewrite", sp.srepr(g), inner.result, data=(("form", sp.srepr(form)),), children=(inner,))


def _calculus_sign(calc: Calculus, g: sp.Expr, target: frozenset) -> tuple[str, Step] | None:
    """The sign of ``g`` within ``target`` by the calculus: the justification and its proof step."""
    for form in simplify_forms(g, budget=3):
        s = calc.sign(form)
        if s <= target:
            return f"sign rules give sign {_sign_name(s)} for {form}", _rewrite(g, form, sign_step(calc.box, form))
    # P - Q with P, Q >= 0 has the sign of P**2 - Q**2 (differences of square roots, of norms, ...)
    terms = sp.Add.make_args(g)
    if len(terms) == 2:
        pos = [t for t in terms if not t.could_extract_minus_sign()]
        neg = [-t for t in terms if t.could_extract_minus_sign()]
        if len(pos) == 1 and len(neg) == 1 and calc.sign(pos[0]) <= NONNEG and calc.sign(neg[0]) <= NONNEG \
                and calc.defined(pos[0]) and calc.defined(neg[0]):
            sq = sp.expand_log(sp.expand(pos[0] ** 2 - neg[0] ** 2))
            for form in simplify_forms(sq, budget=3):
                s = calc.sign(form)
                if s <= target:
                    step = Step("square-difference", sp.srepr(g), sign_key(s),
                                data=(("P", sp.srepr(pos[0])), ("Q", sp.srepr(neg[0])), ("form", sp.srepr(form))),
                                children=(sign_step(calc.box, pos[0]), sign_step(calc.box, neg[0]),
                                          sign_step(calc.box, form)))
                    return (f"P - Q with P, Q >= 0 has the sign of P**2 - Q**2 = {form}, which sign rules give "
                            f"as {_sign_name(s)}", step)
            # P, Q > 0 with positive factors: P - Q has the sign of log P - log Q
            factors = list(sp.Mul.make_args(pos[0])) + list(sp.Mul.make_args(neg[0]))
            if calc.sign(pos[0]) <= POS and calc.sign(neg[0]) <= POS and all(
                    calc.sign(f) <= POS or (f.is_number and f.is_positive) for f in factors):
                lg = sp.expand_log(sp.log(pos[0]) - sp.log(neg[0]), force=True)
                for form in simplify_forms(lg, budget=3):
                    s = calc.sign(form)
                    if s <= target and calc.defined(form):
                        step = Step("log-difference", sp.srepr(g), sign_key(s),
                                    data=(("P", sp.srepr(pos[0])), ("Q", sp.srepr(neg[0])), ("form", sp.srepr(form))),
                                    children=(sign_step(calc.box, pos[0]), sign_step(calc.box, neg[0]),
                                              sign_step(calc.box, form)))
                        return (f"P - Q with P, Q > 0 has the sign of log P - log Q = {form}, which sign rules "
                                f"give as {_sign_name(s)}", step)
    return None


def _sign_name(s: frozenset) -> str:
    return {POS: "> 0", NEG: "< 0", ZERO: "= 0", NONNEG: ">= 0", NONPOS: "<= 0"}.get(s, "unknown")


def _sign_claim(ctx: _Context) -> Verdict:
    claim = ctx.claim
    goal = _goal_of(claim)
    exprs = [e for e in (claim.expr, claim.lhs, claim.rhs) if e is not None]
    defined, notes = _definedness(ctx, exprs + list(claim.defined))
    if not defined:
        ctx.reasons.extend(notes)
        w = search_undefined(exprs + list(claim.defined), ctx.symbols, ctx.witness_assume, seed=ctx.seed,
                             budget=min(1.0, max(0.2, ctx.left() / 6)))
        if w is not None:
            return ctx.verdict(Status.REFUTED, "definedness", witness=w)
    bnb_first = defined and not goal.equality and _bnb_suits(ctx)
    if bnb_first:
        # interval branch-and-bound (prove/bnb.py) first on small claims: it decides most of them in well under
        # a second, while the sign rules' simplifications can take seconds on long transcendental sums; a
        # cheap sampling pass first keeps false claims as quick to refute as before
        w = search_nonneg(goal, ctx.symbols, ctx.witness_assume, seed=ctx.seed, budget=min(1.0, max(0.2, ctx.left() / 8)),
                          samples=1500, refine=False)
        if w is not None:
            return ctx.verdict(Status.REFUTED, "numeric", witness=w)
        v = _bnb(ctx, goal, share=0.4)
        if v is not None:
            return v
    if goal.equality:
        diff = sp.simplify(goal.g)
        if diff == 0 and defined:
            return ctx.verdict(Status.PROVED, "symbolic", certificate=Certificate(
                "symbolic", "lhs - rhs simplifies to 0 (sympy)"), proof=ctx.proof("symbolic", [text_step(
                    "simplify", "The difference of the two sides, {lhs} - ({rhs}), simplifies to 0.", lhs=claim.lhs,
                    rhs=claim.rhs)], goal=goal.g))
    elif defined:
        found = _calculus_sign(ctx.calc, goal.g, _target(goal))
        if found:
            return ctx.verdict(Status.PROVED, "calculus", certificate=Certificate("calculus", found[0]),
                               proof=ctx.proof("calculus", [found[1]], goal=goal.g))
    # quick numeric refutation before the expensive rungs (already done when branch-and-bound went first)
    w = None if bnb_first else search_nonneg(goal, ctx.symbols, ctx.witness_assume, seed=ctx.seed,
                                             budget=min(1.5, max(0.2, ctx.left() / 6)), samples=1500, refine=False)
    if w is not None:
        return ctx.verdict(Status.REFUTED, "numeric", witness=w)
    if defined and not goal.equality:
        # a quick z3 call first (its certificate is re-checkable), then the routine steps, then z3 again
        v = _smt(ctx, goal, budget=min(2.0, 0.2 * ctx.left()))
        if v is not None:
            return v
        why = _routine_sign(ctx, goal)
        if why:
            return ctx.verdict(Status.PROVED, "routine", certificate=Certificate("routine", why))
    if defined:
        v = _smt(ctx, goal)
        if v is not None:
            return v
        if not goal.equality and not bnb_first and ctx.left() > 0.3:
            v = _bnb(ctx, goal, share=0.6)
            if v is not None:
                return v
        if not goal.equality and ctx.left() > 0:
            v = _derivative_method(ctx, goal)
            if v is not None:
                return v
    if ctx.left() > 0.2:
        w = search_nonneg(goal, ctx.symbols, ctx.witness_assume, seed=ctx.seed + 1, budget=max(0.2, ctx.left() / 2),
                          samples=6000)
        if w is not None:
            return ctx.verdict(Status.REFUTED, "numeric", witness=w)
    if ctx.left() > 0.3 and not goal.equality:
        # near-misses: multi-start minimisation of g, refined at 40 digits (prove/nearmiss.py)
        from .nearmiss import search_nearmiss

        w = search_nearmiss(goal, ctx.symbols, ctx.witness_assume, seed=ctx.seed, budget=ctx.left() - 0.1)
        if w is not None:
            return ctx.verdict(Status.REFUTED, "nearmiss", witness=w)
    reason = "; ".join(ctx.reasons) or "no rung decided the claim"
    return ctx.verdict(Status.UNKNOWN, "none", reason=reason)


def _smt(ctx: _Context, goal: Goal, hyps_extra: Sequence[sp.Basic] = (), label: str = "",
         refute: bool = True, budget: float | None = None) -> Verdict | None:
    if ctx.left() <= 0.1:
        ctx.reasons.append("timeout before z3")
        return None

    def confirm(point: dict) -> bool:
        return confirm_point(goal, ctx.symbols, ctx.witness_assume, point) is not None

    try:
        res = check_goal(goal.g, strict=goal.strict, equality=goal.equality, symbols=[s.sym for s in ctx.symbols],
                         hypotheses=tuple(ctx.domain) + tuple(ctx.hypotheses) + tuple(hyps_extra), calculus=ctx.calc,
                         timeout=max(0.2, ctx.left() if budget is None else min(budget, ctx.left())),
                         name=ctx.claim.id + label, confirm=confirm if refute else None)
    except UnsupportedError as err:
        ctx.reasons.append(f"z3 encoding: {err}")
        return None
    ints = [s.sym for s in ctx.symbols if s.is_integer]
    if res.status == "sat" and ints and res.model is not None and ctx.left() > 0.2 and \
            any(not res.model.get(s, sp.Integer(0)).is_integer for s in ints):
        # the real relaxation found a non-integral model: ask again over the integers
        try:
            res2 = check_goal(goal.g, strict=goal.strict, equality=goal.equality,
                              symbols=[s.sym for s in ctx.symbols],
                              hypotheses=tuple(ctx.domain) + tuple(ctx.hypotheses) + tuple(hyps_extra),
                              calculus=ctx.calc, name=ctx.claim.id + label,
                              timeout=max(0.2, ctx.left() if budget is None else min(budget, ctx.left())),
                              confirm=confirm if refute else None, integers=ints)
            if res2.status != "unknown":
                res = res2
        except UnsupportedError:
            pass
    if res.status == "unsat":
        proof = ctx.proof("smt", _smt_steps(goal, res, label), goal=goal.g)
        header = [f"; boundcheck-claim: {proof.claim}",
                  f"; boundcheck-goal: {'eq' if goal.equality else 'gt' if goal.strict else 'ge'} {sp.srepr(goal.g)}"]
        if label:
            header.append(f"; boundcheck-derivative: {ctx.claim.var}")
        header += [f"; boundcheck-define {name}: {sp.srepr(e)}" for name, e in res.definitions]
        return ctx.verdict(Status.PROVED, "smt", certificate=Certificate(
            "smt", f"z3 answers unsat on the negated claim{label} ({res.seconds:.2f}s)",
            smtlib="\n".join(header) + "\n" + res.smtlib), proof=proof)
    if res.status == "sat" and res.model is not None and refute:
        w = confirm_point(goal, ctx.symbols, ctx.witness_assume, res.model)
        if w is not None:
            return ctx.verdict(Status.REFUTED, "smt+mpmath", witness=w)
        ctx.reasons.append("z3 model is not a certified violation (spurious, from the relaxation)")
    else:
        ctx.reasons.append(res.reason or f"z3 {res.status}")
    return None


def _routine_prover(ctx: _Context, share: float, box: Box | None = None):
    from .generalize import Prover

    return Prover([s.sym for s in ctx.symbols], ctx.domain, ctx.hypotheses, box or ctx.box,
                  time.monotonic() + max(0.0, ctx.left()) * share, [s.sym for s in ctx.symbols if s.is_integer])


def _routine_sign(ctx: _Context, goal: Goal) -> str | None:
    """The routine steps of :mod:`boundcheck.prove.generalize` (monotone substitution, generalisation) with
    part of the budget, before z3 works on the whole claim."""
    from .generalize import prove_routine

    lhs, rhs = (ctx.claim.lhs, ctx.claim.rhs) if ctx.claim.kind in ("le", "lt") else (None, None)
    return prove_routine(_routine_prover(ctx, 0.5), lhs, rhs, goal.g, goal.strict)


def _interval_sections(ctx: _Context, var: sp.Symbol) -> bool:
    """Every hypothesis that involves ``var`` bounds it by an expression free of it, so each section of the
    domain in ``var`` is an interval (a derivative sign then proves monotonicity)."""
    for h in ctx.hypotheses:
        if var in h.free_symbols:
            if not isinstance(h, (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)):
                return False
            sides = (h.lhs, h.rhs)
            if not any(side == var for side in sides) or sum(var in side.free_symbols for side in sides) != 1:
                return False
    return True


# ---------------------------------------------------------------------------------------------- branch-and-bound
def _bnb_suits(ctx: _Context) -> bool:
    """Branch-and-bound goes before z3 on low-dimensional claims whose hypotheses are bounds, Eq or Ne; with
    relations between symbols (a derivation step's ``using``) z3's linear reasoning is the better first try."""
    if len(ctx.symbols) > 3:
        return False
    for h in ctx.hypotheses:
        if isinstance(h, (sp.Eq, sp.Ne)) or len(h.free_symbols) <= 1:
            continue
        return False
    return True


def _bnb(ctx: _Context, goal: Goal, share: float = 0.5) -> Verdict | None:
    """The interval branch-and-bound rung (its premise, definedness on the domain, is checked by the caller)."""
    from .bnb import prove_goal

    if ctx.left() <= 0.2:
        return None
    try:
        res = prove_goal(goal.g, strict=goal.strict, box=ctx.box, symbols=[s.sym for s in ctx.symbols],
                         hypotheses=ctx.hypotheses, timeout=ctx.left() * share, seed=ctx.seed)
    except UnsupportedError as err:
        ctx.reasons.append(f"branch-and-bound: {err}")
        return None
    if res.status == "proved":
        import json

        cert = json.dumps(res.certificate or {})
        text = ("Interval branch-and-bound: every box of the domain is decided by a rigorous enclosure of {g}, the "
                "derivative method towards a face, or an exact zero at a point (" + str(res.nodes) + " boxes searched"
                "; the certificate lists the splits and is replayed by an independent interval checker).")
        step = Step("bnb", text=text, data=(("g", sp.srepr(goal.g)), ("certificate", cert)))
        return ctx.verdict(Status.PROVED, "bnb", certificate=Certificate(
            "bnb", f"interval branch-and-bound: every box of the domain decided by an enclosure, the derivative "
                   f"method or an exact zero ({res.nodes} boxes searched)", obligations=(cert,)),
            proof=ctx.proof("bnb", [step], goal=goal.g))
    if res.status == "violated" and res.counter is not None:
        bysym = {s.sym.name: s.sym for s in ctx.symbols}
        point = {bysym[k]: sp.Rational(v.numerator, v.denominator) for k, v in res.counter.items() if k in bysym}
        for candidate in (point, {k: sp.nsimplify(float(v), rational=True) for k, v in point.items()}):
            w = confirm_point(goal, ctx.symbols, ctx.witness_assume, candidate)
            if w is not None:
                return ctx.verdict(Status.REFUTED, "bnb+certified", witness=w)
    ctx.reasons.append(res.reason)
    return None


_RELAXATIONS = {
    "root": "{name} stands for {e}; it is encoded by a power equation (a root is the nonnegative solution).",
    "inv": "{name} stands for {e}; it is encoded by {name} times the base equal to 1.",
    "rec": "{name} stands for {e}; it is encoded by {name} times its denominator equal to 1.",
    "log": "{name} stands for {e}; it is bounded by tangent lines of the concave logarithm "
           "(log u <= log c + u/c - 1 and log u >= log c + 1 - c/u at rational centres c, log c enclosed by "
           "rationals) and by log y >= 2(y - 1)/(y + 1) for y >= 1.",
    "exp": "{name} stands for {e}; it is bounded below by its Taylor polynomial of degree 3 at rational "
           "centres (the remainder is nonnegative) and above through exp(u) exp(-u) = 1.",
}


def _smt_steps(goal: Goal, res, label: str) -> list[Step]:
    """The obligation restated: the negated goal under the domain, and the relaxation of every atom."""
    g, zero = goal.g, sp.Integer(0)
    claim_rel = sp.Eq(g, zero, evaluate=False) if goal.equality else (
        sp.StrictGreaterThan(g, zero, evaluate=False) if goal.strict else sp.GreaterThan(g, zero, evaluate=False))
    negation = sp.Ne(g, zero, evaluate=False) if goal.equality else (
        sp.LessThan(g, zero, evaluate=False) if goal.strict else sp.StrictLessThan(g, zero, evaluate=False))
    what = "the derivative satisfies " if label else ""
    steps = [text_step("smt-goal", f"Suppose, for a contradiction, that {what}{{neg}} at some point of the "
                                   "domain (the claim is {claim}).", neg=negation, claim=claim_rel)]
    for name, e in res.definitions:
        kind = name.split("!")[0]
        template = _RELAXATIONS.get(kind, "{name} stands for {e}; only a rigorous interval enclosure of it on "
                                          "the domain (and its sign) is used.")
        steps.append(text_step("relaxation", template.replace("{name}", "{v}"), v=sp.Symbol(name), e=e))
    steps.append(text_step("smt-unsat", "With every relaxation above true of the real values, z3 finds the "
                                        "constraints unsatisfiable; so no such point exists and {claim} on the "
                                        "whole domain.", claim=claim_rel))
    return steps


# ---------------------------------------------------------------------------------------------- derivative method
def _derivative_method(ctx: _Context, goal: Goal, depth: int = 0) -> Verdict | None:
    """g >= 0 on the domain from g at an endpoint of one variable and the sign of dg/dx."""
    found = _deriv_prove(ctx, goal.g, goal.strict, ctx.box, depth=0, hyps=tuple(ctx.hypotheses))
    if found is None and len(goal.g.free_symbols) == 1 and ctx.left() > 0.3:
        found = _split_prove(ctx, goal.g, goal.strict)
    if found is None:
        return None
    return ctx.verdict(Status.PROVED, "derivative", certificate=Certificate("derivative", found[0]),
                       proof=ctx.proof("derivative", [found[1]], goal=goal.g))


def _split_points(g: sp.Expr, x: sp.Symbol, b) -> list[sp.Expr]:
    """Exact interior points where g' may change sign: real roots (in radicals) of the numerator of g'
    when it is a polynomial in x, and x = 1 (where log vanishes)."""
    pts: set[sp.Expr] = {sp.Integer(1)}
    try:
        num, _ = sp.fraction(sp.together(sp.diff(g, x)))
        if num.is_polynomial(x) and 0 < sp.degree(num, x) <= 4:
            for r in sp.roots(sp.Poly(num, x), filter="R"):
                if r.is_real and not r.has(sp.I):
                    pts.add(sp.nsimplify(r) if r.is_Float else r)
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        pass
    inside = []
    for p in pts:
        if (b.lo is None or bool(p > b.lo)) and (b.hi is None or bool(p < b.hi)):
            inside.append(p)
    return sorted(inside, key=lambda v: float(v))


def _split_prove(ctx: _Context, g: sp.Expr, strict: bool) -> tuple[str, Step] | None:
    """A univariate g >= 0 (> 0) on its interval, split at the sign changes of g'.

    On each piece (a, b) between consecutive points, g is monotone (the sign of g' there is proved by the
    calculus or by z3), so g >= g(a) or g >= g(b) on the piece, with that endpoint's exact value checked
    by rigorous interval evaluation. For a strict goal every endpoint used needs g > 0 unless g' is
    strictly signed on the piece (then g > g(endpoint) >= 0 inside), and a point where g = 0 must be
    excluded by the domain or a hypothesis ``Ne(x, c)``.
    """
    (x,) = g.free_symbols
    b = ctx.box.bounds.get(x)
    if b is None:
        return None
    points = _split_points(g, x, b)
    if not points:
        return None
    excluded = {h.rhs if h.lhs == x else h.lhs for h in ctx.hypotheses if isinstance(h, sp.Ne)
                and x in h.free_symbols and (h.lhs == x or h.rhs == x)}
    gp = sp.diff(g, x)
    # the pieces are intervals of x's whole range: hypotheses on x would let a piece leave their set
    hx = tuple(h for h in ctx.hypotheses if x not in h.free_symbols)
    ends = [(b.lo, b.lo_open)] + [(p, False) for p in points] + [(b.hi, b.hi_open)]
    steps = []
    psteps: list[Step] = []
    for (a, a_open), (c, c_open) in zip(ends, ends[1:]):
        if ctx.left() <= 0:
            return None
        piece = Box({x: Bound(a, c, True if a is not None else False, True if c is not None else False,
                              b.integer)})
        # g' sign on the open piece: calculus forms first, then z3
        pcalc = Calculus(piece)
        slope = None
        slope_step: Step | None = None
        for form in simplify_forms(gp, budget=3):
            sg = pcalc.sign(form)
            if sg <= NONNEG or sg <= NONPOS:
                slope = sg
                slope_step = _rewrite(gp, form, sign_step(piece, form))
                break
        if slope is None:
            if _smt_box(ctx, gp, piece, hx):
                slope = NONNEG
            elif _smt_box(ctx, -gp, piece, hx):
                slope = NONPOS
            else:
                return None
            slope_step = text_step("smt-sign", "z3 proves {d} " + _sign_name(slope) + " on this piece.", d=gp)
        # the endpoint the monotonicity points away from: the left one if g' >= 0, the right one if <= 0
        end, end_open = (a, a_open) if slope <= NONNEG else (c, c_open)
        if end is None:
            return None
        value = g.subs(x, end)
        vcalc = Calculus(Box({}))
        vsign = vcalc.sign(value) if not value.free_symbols and vcalc.defined(value) else ANY_SIGN
        if vsign == ANY_SIGN and sp.simplify(value) == 0:
            vsign = ZERO
        if not vsign <= NONNEG:
            return None
        strict_slope = slope <= POS or slope <= NEG
        if strict and not (vsign <= POS or strict_slope):
            return None
        # the endpoint itself, when it belongs to the domain, must satisfy the goal
        if strict and vsign == ZERO and not end_open and end not in excluded:
            return None
        steps.append(f"on ({a}, {c}) d/d{x} is {_sign_name(slope)} and g({end}) is {_sign_name(vsign)}")
        lo_ = sp.S.NegativeInfinity if a is None else a
        hi_ = sp.oo if c is None else c
        psteps.append(text_step(
            "piece", "On {piece} the derivative {d} is " + _sign_name(slope) + ", so the minimum on the piece is "
            "approached at " + x.name + " = {end}, where the value {value} is " + _sign_name(vsign) + ".",
            [slope_step] if slope_step is not None else [], piece=sp.Interval(lo_, hi_, True, True), d=gp, end=end,
            value=value))
    text = f"split of {x} at {', '.join(map(str, points))}: " + "; ".join(steps)
    return text, text_step("split", "Split the interval of " + x.name + " at {points}, where the derivative may "
                                    "change sign; on each piece the function is monotone.", psteps,
                           points=sp.FiniteSet(*points))


def _deriv_prove(ctx: _Context, g: sp.Expr, strict: bool, box: Box, depth: int,
                 hyps: tuple[sp.Basic, ...] = ()) -> tuple[str, Step] | None:
    """``g >= 0`` (``> 0``) on ``box`` intersected with ``hyps``.

    Premise of the step: the segment from ``(a, y)`` to ``(x, y)`` must lie in the set where the slope's
    sign is proved. The slope and the base value are therefore proved under the hypotheses that do not
    mention the moving variable ``x`` only (those hold along the whole segment when they hold at its end);
    a hypothesis such as ``x >= y`` would let the segment leave the set (a false PROVED otherwise).
    """
    if ctx.left() <= 0 or depth > 2:
        return None
    calc = Calculus(box)
    target = POS if strict else NONNEG
    found = _calculus_sign(calc, g, target)
    if found:
        return found
    for s in ctx.symbols:
        x = s.sym
        if x not in g.free_symbols:
            continue
        b = box.bounds.get(x)
        if b is None:
            continue
        gp = sp.diff(g, x)
        interior = box.with_bound(x, b.interior())
        icalc = Calculus(interior)
        hx = tuple(h for h in hyps if x not in h.free_symbols)
        for end, need in (("lo", NONNEG), ("hi", NONPOS)):
            a = b.lo if end == "lo" else b.hi
            is_open = b.lo_open if end == "lo" else b.hi_open
            if a is None or is_open:
                continue
            signed = next((f for f in simplify_forms(gp, budget=3) if icalc.sign(f) <= need), None)
            if signed is None:
                # the slope's sign on the closed interval (stronger than needed), recursively or by z3
                sub = _deriv_prove(ctx, gp if end == "lo" else -gp, False, box, depth + 1, hx)
                if sub is None and ctx.left() > 0.5 and _smt_box(ctx, gp if end == "lo" else -gp, interior, hx):
                    sub = ("z3", text_step("smt-sign", "z3 proves {d} >= 0 on the interior.",
                                           d=gp if end == "lo" else -gp))
                if sub is None:
                    continue
                slope = f"d/d{x} has the needed sign ({sub[0]})"
                slope_step = sub[1]
            else:
                slope = f"d/d{x} {'>= 0' if end == 'lo' else '<= 0'} by sign rules"
                slope_step = _rewrite(gp, signed, sign_step(interior, signed))
            at = g.subs(x, a)
            rest = {k: v for k, v in box.bounds.items() if k != x}
            sub_box = Box(rest)
            base = _deriv_prove(ctx, sp.simplify(at), strict, sub_box, depth + 1, hx)
            if base is None:
                continue
            if not calc.defined(g):
                continue
            word = "nondecreasing" if end == "lo" else "nonincreasing"
            step = text_step("endpoint", "Take {x} = {a}, the " + ("left" if end == "lo" else "right")
                             + " end of its interval. The derivative {d} has the sign that makes {g} " + word
                             + " in {x}, so {g} is at least its value {at} there, and that value has the "
                             "required sign.", [base[1], slope_step], x=x, a=a, d=gp, g=g, at=sp.simplify(at))
            return f"at {x} = {a}: {base[0]}; {slope}", step
    return None


def _smt_box(ctx: _Context, g: sp.Expr, box: Box, hyps: tuple[sp.Basic, ...] = ()) -> bool:
    """z3 proves g >= 0 on a box (its bounds as hypotheses, plus ``hyps``: only hypotheses that hold on
    the whole region the caller needs, see :func:`_deriv_prove`)."""
    bounds: list[sp.Basic] = []
    for x, b in box.bounds.items():
        if b.lo is not None:
            bounds.append(sp.StrictGreaterThan(x, b.lo) if b.lo_open else sp.GreaterThan(x, b.lo))
        if b.hi is not None:
            bounds.append(sp.StrictLessThan(x, b.hi) if b.hi_open else sp.LessThan(x, b.hi))
    syms = [s.sym for s in ctx.symbols]
    if not g.free_symbols <= set(syms):
        return False
    try:
        res = check_goal(g, strict=False, equality=False, symbols=syms, hypotheses=tuple(bounds) + tuple(hyps),
                         calculus=Calculus(box), timeout=max(0.3, ctx.left() / 4), refinements=1,
                         name="derivative sign")
    except UnsupportedError:
        return False
    return res.status == "unsat"


# ---------------------------------------------------------------------------------------------- monotone
def _flat(hyps: Sequence[sp.Basic]) -> list[sp.Basic]:
    out: list[sp.Basic] = []
    for h in hyps:
        out.extend(h.args if isinstance(h, sp.And) else (h,))
    return out


def _section_is_interval(ctx: _Context, var: sp.Symbol) -> bool:
    """Premise of a derivative-sign proof of monotonicity: for every value of the other symbols, the set
    of ``var`` satisfying the domain and every hypothesis is an interval.

    Holds at once when each hypothesis on ``var`` is affine in ``var`` with a coefficient of known strict
    sign (a half-line); otherwise z3 must show convexity: ``x1 < var < x3`` with ``x1`` and ``x3`` in the
    set puts ``var`` in the set.
    """
    on_var = [h for h in _flat(ctx.hypotheses) if var in h.free_symbols]
    if not on_var:
        return True
    affine = True
    for h in on_var:
        if not isinstance(h, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan, sp.Eq)):
            affine = False
            break
        d = sp.expand(h.lhs - h.rhs)
        c = d.coeff(var, 1)
        rest = sp.expand(d - c * var)
        if var in c.free_symbols or var in rest.free_symbols or not (
                ctx.calc.sign(c) <= POS or ctx.calc.sign(c) <= NEG):
            affine = False
            break
    if affine:
        return True
    if any(isinstance(h, sp.Ne) for h in on_var):
        return False  # a removed point splits the section
    x1, x3 = sp.Dummy("x1", real=True), sp.Dummy("x3", real=True)
    b = ctx.box.bounds[var]
    box = Box(dict(ctx.box.bounds) | {x1: b, x3: b})
    around = [sp.StrictLessThan(x1, var), sp.StrictLessThan(var, x3)]
    around += [h.xreplace({var: x1}) for h in ctx.hypotheses] + [h.xreplace({var: x3}) for h in ctx.hypotheses]
    syms = [s.sym for s in ctx.symbols] + [x1, x3]
    for h in on_var:
        if ctx.left() <= 0.1:
            return False
        if isinstance(h, sp.Eq):
            return False
        if isinstance(h, (sp.GreaterThan, sp.StrictGreaterThan)):
            g = h.lhs - h.rhs
        else:
            g = h.rhs - h.lhs
        try:
            res = check_goal(g, strict=isinstance(h, (sp.StrictGreaterThan, sp.StrictLessThan)), equality=False,
                             symbols=syms, hypotheses=tuple(ctx.domain) + tuple(around) + tuple(
                                 r.xreplace({var: v}) for r in ctx.domain if var in r.free_symbols
                                 for v in (x1, x3)),
                             calculus=Calculus(box), timeout=max(0.3, ctx.left() / 4), refinements=1,
                             name="section is an interval")
        except UnsupportedError:
            return False
        if res.status != "unsat":
            return False
    return True


_MONO_TARGET = {"increasing": POS, "decreasing": NEG, "nondecreasing": NONNEG, "nonincreasing": NONPOS}


def _monotone(ctx: _Context) -> Verdict:
    claim = ctx.claim
    f = claim.expr
    var = ctx.problem.symbol(claim.var).sym
    target = _MONO_TARGET[claim.kind]
    defined, notes = _definedness(ctx, [f] + list(claim.defined))
    if not defined:
        ctx.reasons.extend(notes)
        w = search_undefined([f] + list(claim.defined), ctx.symbols, ctx.witness_assume, seed=ctx.seed,
                             budget=min(1.0, max(0.2, ctx.left() / 6)))
        if w is not None:
            return ctx.verdict(Status.REFUTED, "definedness", witness=w)
    else:
        m = ctx.calc.monotone(f, var)
        if m <= target:
            return ctx.verdict(Status.PROVED, "calculus", certificate=Certificate(
                "calculus", f"monotonicity rules: every term moves the same way in {var} ({claim.kind})"),
                proof=ctx.proof("calculus", [monotone_step(ctx.box, f, var)]))
        if m <= sign_neg(target) and target != ZERO:
            # the rules say f moves the other way: a violating pair is easy to find, so look before the
            # (possibly slow) algebra on the derivative
            w = search_monotone(f, var, claim.kind, ctx.symbols, ctx.witness_assume, seed=ctx.seed,
                                budget=min(1.0, max(0.2, ctx.left() / 5)), samples=800)
            if w is not None:
                return ctx.verdict(Status.REFUTED, "numeric", witness=w)
        # the derivative, on the interior of var's interval of the box (a superset of the section): the
        # premise is that f is defined (so continuous) on that whole interval, not just on the section
        fp = sp.diff(f, var)
        b = ctx.box.bounds[var]
        icalc = Calculus(ctx.box.with_bound(var, b.interior()))
        box_ok = ctx.calc.defined(f) and all(ctx.calc.defined(t) for t in claim.defined) \
            and not f.has(sp.floor, sp.ceiling)
        if not box_ok:
            ctx.reasons.append(f"{f} is not known to be defined on the whole interval of {var}, so the sign "
                               f"of d/d{var} proves nothing across the gaps")
        for form in (simplify_forms(fp, budget=4) if box_ok else ()):
            s = icalc.sign(form)
            if s <= target:
                step = Step("derivative", sp.srepr(f), sign_key(s, mono=True), var=str(var),
                            data=(("derivative", sp.srepr(fp)),),
                            children=(_rewrite(fp, form, sign_step(icalc.box, form)),))
                return ctx.verdict(Status.PROVED, "calculus", certificate=Certificate(
                    "calculus", f"d/d{var} = {form} has sign {_sign_name(s)} on the interior"
                                f"{' (continuous on the closed interval)' if target in (POS, NEG) else ''}"),
                    proof=ctx.proof("calculus", [step]))
        if _interval_sections(ctx, var):
            from .generalize import prove_monotone_routine

            why = prove_monotone_routine(_routine_prover(ctx, 0.5), f, var, target, icalc)
            if why:
                return ctx.verdict(Status.PROVED, "routine", certificate=Certificate("routine", why))
    w = search_monotone(f, var, claim.kind, ctx.symbols, ctx.witness_assume, seed=ctx.seed,
                        budget=min(1.5, max(0.2, ctx.left() / 5)), samples=1500)
    if w is not None:
        return ctx.verdict(Status.REFUTED, "numeric", witness=w)
    connected = defined and ctx.left() > 0.2 and not f.has(sp.floor, sp.ceiling) and _section_is_interval(ctx, var)
    if defined and not connected:
        ctx.reasons.append(f"cannot show the assumptions leave {var} an interval (they may split it into pieces; "
                           f"a derivative sign proves monotonicity on each piece only)")
    if connected:
        fp = sp.diff(f, var)
        strict = claim.kind in ("increasing", "decreasing")
        g = fp if claim.kind in ("increasing", "nondecreasing") else -fp
        saved_box = ctx.box
        ctx.box = ctx.box.with_bound(var, ctx.box.bounds[var].interior())
        ctx.calc = Calculus(ctx.box)
        try:
            dom = tuple(r for r in ctx.domain if var not in r.free_symbols)
            b = ctx.box.bounds[var]
            if b.lo is not None:
                dom += (sp.StrictGreaterThan(var, b.lo),)
            if b.hi is not None:
                dom += (sp.StrictLessThan(var, b.hi),)
            saved_dom = ctx.domain
            ctx.domain = dom
            v = _smt(ctx, Goal(g, strict=strict, label=f"d/d{var}"), label=f" (derivative in {var})", refute=False)
            ctx.domain = saved_dom
        finally:
            ctx.box = saved_box
            ctx.calc = Calculus(saved_box)
        if v is not None and v.status is Status.PROVED:
            return v
        # a z3 model of the derivative is not a witness of the claim: refutation goes through pairs only
    if ctx.left() > 0.2:
        w = search_monotone(f, var, claim.kind, ctx.symbols, ctx.witness_assume, seed=ctx.seed + 1,
                            budget=max(0.2, ctx.left()), samples=5000)
        if w is not None:
            return ctx.verdict(Status.REFUTED, "numeric", witness=w)
    reason = "; ".join(ctx.reasons) or f"neither the calculus nor z3 settled the sign of d/d{var}"
    return ctx.verdict(Status.UNKNOWN, "none", reason=reason)

