"""Re-checking an SMT-LIB2 obligation against the claim it was written for.

An obligation proves its claim only if (1) it was written for this claim (the fingerprint in its header
matches the claim re-read from the spec), (2) its last assertion is the negation of the claim's goal,
re-derived here from the claim (after replacing each fresh variable by the expression the header says
it stands for), (3) every other assertion either follows from the claim's domain (checked by z3) or
constrains fresh variables in a way the true values satisfy (checked at sample points of the domain by
interval arithmetic: a falsification test, not a proof of the relaxation lemmas), and (4) the solvers
answer unsat. An added ``(assert false)`` fails (3); a certificate copied from another claim fails (1)
or (2).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping

import mpmath
import sympy as sp
import z3
from mpmath import iv

from ..prove.proof import expr_of
from ..spec import Claim, Problem
from ._common import Bounds, CheckFailed, domain_bounds, goal_of, interval

__all__ = ["check_obligation", "solver_answers"]

_HEADER = re.compile(r"^;\s*boundcheck-(claim|goal|derivative|define)\s*(\S*?):?\s+(.*)$")


def _header(text: str) -> dict:
    out: dict = {"defines": {}}
    for line in text.splitlines():
        if not line.startswith(";"):
            continue
        m = re.match(r"^;\s*boundcheck-claim:\s*(\S+)\s*$", line)
        if m:
            out["claim"] = m.group(1)
            continue
        m = re.match(r"^;\s*boundcheck-goal:\s*(ge|gt|eq)\s+(.+)$", line)
        if m:
            out["goal"] = (m.group(1), m.group(2))
            continue
        m = re.match(r"^;\s*boundcheck-derivative:\s*(\S+)\s*$", line)
        if m:
            out["derivative"] = m.group(1)
            continue
        m = re.match(r"^;\s*boundcheck-define\s+(\S+):\s+(.+)$", line)
        if m:
            out["defines"][m.group(1)] = m.group(2)
    return out


class _ToSympy:
    """z3 terms of the obligation -> sympy, fresh variables replaced by what they stand for."""

    def __init__(self, symbols: Mapping[str, sp.Symbol], defines: Mapping[str, sp.Expr]) -> None:
        self.symbols = symbols
        self.defines = defines

    def term(self, e: z3.ExprRef) -> sp.Expr:
        if z3.is_rational_value(e):
            return sp.Rational(e.numerator_as_long(), e.denominator_as_long())
        if z3.is_int_value(e):
            return sp.Integer(e.as_long())
        if z3.is_const(e):
            name = e.decl().name()
            if name in self.symbols:
                return self.symbols[name]
            if name in self.defines:
                return self.defines[name]
            raise CheckFailed(f"the variable {name} is neither a symbol of the spec nor defined in the header")
        k = e.decl().kind()
        args = [self.term(a) for a in e.children()]
        if k == z3.Z3_OP_ADD:
            return sp.Add(*args)
        if k == z3.Z3_OP_MUL:
            return sp.Mul(*args)
        if k == z3.Z3_OP_SUB:
            return args[0] - sp.Add(*args[1:])
        if k == z3.Z3_OP_UMINUS:
            return -args[0]
        if k == z3.Z3_OP_DIV:
            return args[0] / args[1]
        if k == z3.Z3_OP_POWER:
            return args[0] ** args[1]
        if k in (z3.Z3_OP_TO_REAL, z3.Z3_OP_TO_INT):
            return args[0]
        raise CheckFailed(f"unexpected operator {e.decl().name()} in the obligation")

    def relation(self, e: z3.ExprRef):
        """A (possibly nested) boolean as a tuple tree: ('rel', op, lhs, rhs), ('and'|'or'|'not'|'implies', ...)."""
        k = e.decl().kind()
        if z3.is_true(e):
            return ("const", True)
        if z3.is_false(e):
            return ("const", False)
        ops = {z3.Z3_OP_LE: "<=", z3.Z3_OP_LT: "<", z3.Z3_OP_GE: ">=", z3.Z3_OP_GT: ">", z3.Z3_OP_EQ: "=",
               z3.Z3_OP_DISTINCT: "!="}
        if k in ops:
            a, b = e.children()
            return ("rel", ops[k], self.term(a), self.term(b))
        names = {z3.Z3_OP_AND: "and", z3.Z3_OP_OR: "or", z3.Z3_OP_NOT: "not", z3.Z3_OP_IMPLIES: "implies"}
        if k in names:
            return (names[k],) + tuple(self.relation(c) for c in e.children())
        raise CheckFailed(f"unexpected formula {e.decl().name()} in the obligation")


def _negated_goal(rel, g: sp.Expr, kind: str) -> bool:
    """Whether ``rel`` (a tuple tree) is the negation of ``g >= 0`` / ``g > 0`` / ``g = 0``."""
    if rel[0] == "not" and len(rel) == 2 and rel[1][0] == "rel" and rel[1][1] == "=" and kind == "eq":
        _, _, a, b = rel[1]
        return sp.simplify(a - b - g) == 0 or sp.simplify(a - b + g) == 0
    if rel[0] != "rel":
        return False
    _, op, a, b = rel
    if kind == "eq":
        return op == "!=" and (sp.simplify(a - b - g) == 0 or sp.simplify(a - b + g) == 0)
    want_strict = kind == "ge"  # not (g >= 0) is g < 0; not (g > 0) is g <= 0
    if op in ("<", "<="):
        diff = a - b  # a - b < 0
    elif op in (">", ">="):
        diff = b - a
    else:
        return False
    return (op in ("<", ">")) == want_strict and sp.simplify(diff - g) == 0


def _to_z3(e: sp.Expr, consts: Mapping[str, z3.ExprRef], ctx: z3.Context):
    if e.is_Rational:
        return z3.RealVal(f"{e.p}/{e.q}", ctx)
    if e.is_Symbol:
        if e.name not in consts:
            raise CheckFailed(f"{e.name} is not declared in the obligation")
        c = consts[e.name]
        return z3.ToReal(c) if c.sort() == z3.IntSort(ctx) else c
    if e.is_Add:
        return z3.Sum([_to_z3(a, consts, ctx) for a in e.args])
    if e.is_Mul:
        out = _to_z3(e.args[0], consts, ctx)
        for a in e.args[1:]:
            out = out * _to_z3(a, consts, ctx)
        return out
    if e.is_Pow and e.args[1].is_Integer and int(e.args[1]) > 0:
        b = _to_z3(e.args[0], consts, ctx)
        out = b
        for _ in range(int(e.args[1]) - 1):
            out = out * b
        return out
    raise CheckFailed(f"not polynomial: {e}")


def _domain_z3(domain: Mapping[sp.Symbol, Bounds], extra: tuple, consts: Mapping[str, z3.ExprRef],
               ctx: z3.Context, strict_var: str | None) -> list:
    out = []
    for s, b in domain.items():
        if s.name not in consts:
            continue
        x = _to_z3(s, consts, ctx)
        strict = s.name == strict_var
        if b.lo is not None and b.lo.is_Rational:
            out.append(x > _to_z3(b.lo, consts, ctx) if (b.lo_open or strict) else x >= _to_z3(b.lo, consts, ctx))
        if b.hi is not None and b.hi.is_Rational:
            out.append(x < _to_z3(b.hi, consts, ctx) if (b.hi_open or strict) else x <= _to_z3(b.hi, consts, ctx))
    for h in extra:
        for r in (h.args if isinstance(h, sp.And) else (h,)):
            try:
                lhs, rhs = _to_z3(r.lhs, consts, ctx), _to_z3(r.rhs, consts, ctx)
            except (CheckFailed, AttributeError):
                continue  # a hypothesis the checker cannot encode is left out: the domain only grows
            op = {sp.StrictLessThan: lhs < rhs, sp.LessThan: lhs <= rhs, sp.StrictGreaterThan: lhs > rhs,
                  sp.GreaterThan: lhs >= rhs}.get(type(r))
            if op is not None:
                out.append(op)
    return out


def _truth(rel, env) -> bool | None:
    """Three-valued truth of a tuple-tree formula with interval arithmetic (None: undecided)."""
    tag = rel[0]
    if tag == "const":
        return rel[1]
    if tag == "not":
        t = _truth(rel[1], env)
        return None if t is None else not t
    if tag in ("and", "or"):
        vals = [_truth(r, env) for r in rel[1:]]
        if tag == "and":
            return False if False in vals else (True if all(v is True for v in vals) else None)
        return True if True in vals else (False if all(v is False for v in vals) else None)
    if tag == "implies":
        p, q = _truth(rel[1], env), _truth(rel[2], env)
        if p is False or q is True:
            return True
        if p is True and q is False:
            return False
        return None
    _, op, a, b = rel
    try:
        d = interval(a - b, env, dps=60)
    except CheckFailed:
        return None
    lo, hi = d.a, d.b
    if op == "<=":
        return True if hi <= 0 else (False if lo > 0 else None)
    if op == "<":
        return True if hi < 0 else (False if lo >= 0 else None)
    if op == ">=":
        return True if lo >= 0 else (False if hi < 0 else None)
    if op == ">":
        return True if lo > 0 else (False if hi <= 0 else None)
    if op == "=":
        return False if (lo > 0 or hi < 0) else None
    if op == "!=":
        return True if (lo > 0 or hi < 0) else None
    return None


def _sample_points(domain: Mapping[sp.Symbol, Bounds], names: set[str], strict_var: str | None, seed: int,
                   count: int = 24) -> list[dict[sp.Symbol, sp.Rational]]:
    rng = random.Random(seed)
    pts = []
    for _ in range(count):
        p = {}
        for s, b in domain.items():
            if s.name not in names:
                continue
            lo = b.lo if b.lo is not None and b.lo.is_number else (b.hi - 10 if b.hi is not None else sp.Integer(-10))
            hi = b.hi if b.hi is not None and b.hi.is_number else lo + rng.choice([1, 10, 1000])
            lo, hi = sp.nsimplify(lo), sp.nsimplify(hi)
            t = sp.Rational(rng.randint(1, 999), 1000)
            v = lo + (hi - lo) * t
            if b.integer:
                v = sp.ceiling(v)
                if (b.hi is not None and v > b.hi) or (b.lo_open and v == b.lo):
                    v = sp.floor(lo + (hi - lo) * t)
            p[s] = v
        pts.append(p)
    return pts


def solver_answers(text: str, timeout: float) -> dict[str, str]:
    """z3's (and, where installed, cvc5's) answer on an SMT-LIB2 text."""
    out = {}
    ctx = z3.Context()
    s = z3.Solver(ctx=ctx)
    s.set("timeout", int(timeout * 1000))
    try:
        s.add(z3.parse_smt2_string(text, ctx=ctx))
        out["z3"] = str(s.check())
    except z3.Z3Exception as err:
        out["z3"] = f"error: {err}"
    try:
        out["cvc5"] = _cvc5(text, timeout)
    except ImportError:
        pass
    return out


def _cvc5(text: str, timeout: float) -> str:
    import cvc5  # optional extra

    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith(";") and "set-info" not in ln)
    # z3 prints integer powers as (^ x 2.0); cvc5 knows only products
    body = _expand_powers(body)
    tm = cvc5.TermManager() if hasattr(cvc5, "TermManager") else None
    solver = cvc5.Solver(tm) if tm is not None else cvc5.Solver()
    solver.setOption("tlimit-per", str(int(timeout * 1000)))
    solver.setOption("produce-models", "false")
    solver.setLogic("QF_NRA") if "to_real" not in body else solver.setLogic("QF_ALL")
    parser = cvc5.InputParser(solver, cvc5.SymbolManager(tm) if tm is not None else cvc5.SymbolManager(solver))
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, body, "obligation")
    answer = "unknown"
    sm = parser.getSymbolManager()
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        res = cmd.invoke(solver, sm)
        if res.strip() in ("sat", "unsat", "unknown"):
            answer = res.strip()
    return answer


def _expand_powers(body: str) -> str:
    pat = re.compile(r"\(\^ (\S+|\([^()]*\)) (\d+)(?:\.0)?\)")
    while True:
        new = pat.sub(lambda m: "(* " + " ".join([m.group(1)] * int(m.group(2))) + ")" if int(m.group(2)) > 1
                      else m.group(1), body)
        if new == body:
            return body
        body = new


def check_obligation(text: str, problem: Problem, claim: Claim, fingerprint: str, *, timeout: float = 20.0,
                     seed: int = 0) -> list[str]:
    """Check one obligation for one claim; returns notes (solver answers). Raises CheckFailed."""
    head = _header(text)
    if head.get("claim") != fingerprint:
        raise CheckFailed("the certificate was not written for this claim (its fingerprint differs)")
    if "goal" not in head:
        raise CheckFailed("the certificate states no goal")
    derivative = head.get("derivative")
    want = goal_of(claim, derivative)
    kind, g_text = head["goal"]
    stored = expr_of(g_text)
    if kind != want.rel or sp.simplify(stored - want.g) != 0:
        raise CheckFailed("the certificate's goal is not the claim's")
    symbols = {s.name: s.sym for s in problem.symbols}
    defines = {k: expr_of(v) for k, v in head["defines"].items()}
    conv = _ToSympy(symbols, defines)
    ctx = z3.Context()
    try:
        assertions = list(z3.parse_smt2_string(text, ctx=ctx))
    except z3.Z3Exception as err:
        raise CheckFailed(f"the SMT-LIB2 text does not parse: {err}") from err
    if not assertions:
        raise CheckFailed("the obligation asserts nothing")
    if not _negated_goal(conv.relation(assertions[-1]), want.g, want.rel):
        raise CheckFailed("the last assertion is not the negation of the claim")
    consts: dict[str, z3.ExprRef] = {}

    def collect(e: z3.ExprRef) -> None:
        if z3.is_const(e) and not z3.is_rational_value(e) and not z3.is_int_value(e) and not z3.is_true(e) \
                and not z3.is_false(e):
            consts[e.decl().name()] = e
        for c in e.children():
            collect(c)

    for a in assertions:
        collect(a)
    domain = domain_bounds(problem, claim)
    dom = _domain_z3(domain, tuple(problem.assumptions) + tuple(claim.assume), consts, ctx, derivative)
    names = {n for n in consts if n in symbols}
    points = _sample_points(domain, names, derivative, seed)
    env_points = []
    for p in points:
        env = {s: iv.mpf(_mp(v)) for s, v in p.items()}
        ok = all(_truth(("rel", _op(h), h.lhs, h.rhs), env) is not False
                 for h in _flat(tuple(problem.assumptions) + tuple(claim.assume)) if _op(h))
        if ok:
            env_points.append(env)
    for a in assertions[:-1]:
        fresh = {n for n in _names(a) if n not in symbols}
        if not fresh:
            s = z3.Solver(ctx=ctx)
            s.set("timeout", 5000)
            s.add(*dom)
            s.add(z3.Not(a))
            if s.check() != z3.unsat:
                raise CheckFailed(f"an assertion does not follow from the claim's domain: {a.sexpr()[:120]}")
            continue
        missing = fresh - set(defines)
        if missing:
            raise CheckFailed(f"an assertion uses undefined variables {sorted(missing)}: {a.sexpr()[:120]}")
        rel = conv.relation(a)
        for env in env_points:
            if _truth(rel, env) is False:
                shown = {str(k): mpmath.nstr(v.mid, 8) for k, v in env.items()}
                raise CheckFailed(f"an assertion is false for the true values at {shown}: {a.sexpr()[:120]}")
    answers = solver_answers(text, timeout)
    for solver, ans in answers.items():
        if ans == "sat":
            raise CheckFailed(f"{solver} answers sat: the obligation does not prove the claim")
    if answers.get("z3") != "unsat":
        raise CheckFailed(f"z3 answers {answers.get('z3')}, not unsat")
    return [f"{k}: {v}" for k, v in answers.items()]


def _names(e: z3.ExprRef) -> set[str]:
    out = set()
    if z3.is_const(e) and not (z3.is_rational_value(e) or z3.is_int_value(e) or z3.is_true(e) or z3.is_false(e)):
        out.add(e.decl().name())
    for c in e.children():
        out |= _names(c)
    return out


def _flat(hyps: tuple) -> list:
    out = []
    for h in hyps:
        out.extend(h.args if isinstance(h, sp.And) else (h,))
    return out


def _op(h) -> str | None:
    return {sp.StrictLessThan: "<", sp.LessThan: "<=", sp.StrictGreaterThan: ">", sp.GreaterThan: ">="}.get(type(h))


def _mp(v: sp.Expr):
    v = sp.Rational(v)
    return iv.mpf(int(v.p)) / iv.mpf(int(v.q))
