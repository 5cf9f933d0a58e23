"""Build a second MetiTarski-derived set from corpus problems NOT in the shared problems.jsonl.

Same conversion conventions as /work/shared/benchmarks/metitarski/README.md (ln -> log, log -> log(u)/log(10),
cbrt -> **(1/3), decimals -> exact rationals, lower-cased variables, atomic `var op const` hypotheses -> bounds).
True problems are spot-checked at 200 random points (50-digit mpmath); false variants are made by
(a) flipping the relation, (b) tightening the goal by 1.5x the slack at a numerically found near-minimum,
each kept only with a witness certified by arb balls (boundcheck.prove.certify).

Usage (from the repository root; CORPUS_DIR is ``lcpaulson-metitarski-1ed3b6ab11b8/tptp/Problems`` of
georgegunter/Verification-of-Car-Following-Reinforcement-Learning at f20395d, see the shared README)::

    PYTHONPATH=. python benchmarks/build_second_set.py CORPUS_DIR SHARED_JSONL OUT_JSONL

Then ``python benchmarks/metitarski.py --problems OUT_JSONL``. The random choices are seeded (20261130), so
the same corpus gives the same file. Two corpus problems are dropped with their variants (``EXCLUDED``): they
are stated with ``0 <= X`` and ``ln X``, undefined at the closed end, which boundcheck rightly refutes for
definedness while the benchmark counts them as true.
"""

from __future__ import annotations

import json
import random
import re
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import sympy as sp

ALLOWED = {"ln", "log", "exp", "sqrt", "cbrt", "nthrt"}
TOK = re.compile(r"\s*(=>|<=|>=|!=|[()\[\],:!&|~<>=+\-*/^]|\d+\.\d*(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?"
                 r"|[A-Za-z_][A-Za-z_0-9]*)")


class ParseError(Exception):
    pass


def tokenize(s: str) -> list[str]:
    out, i = [], 0
    s = s.strip()
    while i < len(s):
        m = TOK.match(s, i)
        if not m:
            raise ParseError(f"bad char at {s[i:i+10]!r}")
        out.append(m.group(1))
        i = m.end()
    return out


class P:
    def __init__(self, toks):
        self.t, self.i = toks, 0
        self.funcs: set[str] = set()

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def eat(self, x=None):
        tok = self.peek()
        if x is not None and tok != x:
            raise ParseError(f"expected {x} got {tok}")
        self.i += 1
        return tok

    # formulas: ('forall', vars, f) | ('=>', a, b) | ('&', [..]) | ('|', [..]) | ('~', f) | ('atom', op, l, r)
    def formula(self):
        if self.peek() == "!":
            self.eat("!")
            self.eat("[")
            vs = [self.eat()]
            while self.peek() == ",":
                self.eat(",")
                vs.append(self.eat())
            self.eat("]")
            self.eat(":")
            return ("forall", vs, self.formula())
        if self.peek() == "?":
            raise ParseError("existential")
        a = self.disj()
        if self.peek() == "=>":
            self.eat("=>")
            return ("=>", a, self.formula())
        return a

    def disj(self):
        parts = [self.conj()]
        while self.peek() == "|":
            self.eat("|")
            parts.append(self.conj())
        return parts[0] if len(parts) == 1 else ("|", parts)

    def conj(self):
        parts = [self.unary()]
        while self.peek() == "&":
            self.eat("&")
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("&", parts)

    def unary(self):
        if self.peek() == "~":
            self.eat("~")
            return ("~", self.unary())
        if self.peek() == "!":
            return self.formula()
        if self.peek() == "(":
            save = self.i
            try:
                self.eat("(")
                f = self.formula()
                self.eat(")")
                if self.peek() in ("<", "<=", ">", ">=", "=", "!=", "+", "-", "*", "/", "^"):
                    raise ParseError("was a term")
                return f
            except ParseError:
                self.i = save
        return self.atom()

    def atom(self):
        left = self.expr()
        op = self.eat()
        if op not in ("<", "<=", ">", ">=", "=", "!="):
            raise ParseError(f"no relation: {op}")
        right = self.expr()
        return ("atom", op, left, right)

    # terms -> sympy text
    def expr(self):
        s = self.term()
        while self.peek() in ("+", "-"):
            op = self.eat()
            s = f"{s} {op} {self.term()}"
        return s

    def term(self):
        s = self.factor()
        while self.peek() in ("*", "/"):
            op = self.eat()
            s = f"{s}{op}{self.factor()}"
        return s

    def factor(self):
        if self.peek() == "-":
            self.eat("-")
            return f"(-{self.factor()})"
        if self.peek() == "+":
            self.eat("+")
            return self.factor()
        b = self.power_base()
        if self.peek() == "^":
            self.eat("^")
            e = self.factor()
            return f"({b})**({e})"
        return b

    def power_base(self):
        tok = self.eat()
        if tok == "(":
            s = self.expr()
            self.eat(")")
            return f"({s})"
        if re.fullmatch(r"\d.*", tok):
            return f"({num(tok)})"
        if tok == "pi":
            return "pi"
        if self.peek() == "(":
            self.eat("(")
            args = [self.expr()]
            while self.peek() == ",":
                self.eat(",")
                args.append(self.expr())
            self.eat(")")
            self.funcs.add(tok)
            if tok not in ALLOWED:
                raise ParseError(f"function {tok}")
            if tok == "ln":
                return f"log({args[0]})"
            if tok == "log":
                return f"(log({args[0]})/log(10))"
            if tok == "exp":
                return f"exp({args[0]})"
            if tok == "sqrt":
                return f"sqrt({args[0]})"
            if tok == "cbrt":
                return f"(({args[0]})**(1/3))"
            if tok == "nthrt":
                return f"(({args[1]})**(1/({args[0]})))"
        if re.fullmatch(r"[A-Z][A-Za-z_0-9]*", tok):
            return var(tok)
        raise ParseError(f"unknown token {tok}")


RESERVED = {"e", "i", "n", "s", "o", "q", "pi", "beta", "gamma", "zeta", "lambda", "li", "ln", "log", "exp", "sqrt",
            "sin", "cos", "tan", "re", "im", "ff", "rf", "fu", "e1"}


def var(tok: str) -> str:
    v = tok.lower()
    if v in RESERVED or hasattr(sp, v):
        v = v + "_v"
    return v


def num(tok: str) -> str:
    f = Fraction(tok)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def conjecture(text: str) -> tuple[str, str] | None:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    fofs = re.findall(r"fof\(\s*([^,]+?)\s*,\s*(\w+)\s*,(.*?)\)\s*\.\s*(?=fof|cnf|include|$)", body, re.S)
    if len(fofs) != 1 or "cnf(" in body:
        return None
    name, role, f = fofs[0]
    if role != "conjecture":
        return None
    return name, f.strip()


def atoms_of(f):
    if f[0] == "atom":
        return [f]
    if f[0] == "&":
        out = []
        for p in f[1]:
            a = atoms_of(p)
            if a is None:
                return None
            out += a
        return out
    return None


def convert(path: Path) -> dict | None:
    c = conjecture(path.read_text(errors="replace"))
    if c is None:
        return None
    fname, ftext = c
    p = P(tokenize(ftext))
    f = p.formula()
    if p.peek() is not None:
        raise ParseError("trailing tokens")
    vs: list[str] = []
    while f[0] == "forall":
        vs += f[1]
        f = f[2]
    if not vs:
        return None
    hyps_f = []
    while f[0] == "=>":
        a = atoms_of(f[1])
        if a is None:
            return None
        hyps_f += a
        f = f[2]
    if f[0] != "atom" or f[1] not in ("<", "<=", ">", ">="):
        return None
    names = {var(v): v for v in vs}
    bounds = {v: [None, None] for v in names}
    strict = {v: [False, False] for v in names}
    hyps = []
    for _, op, lhs_s, r in hyps_f:
        ls, rs = lhs_s.strip(), r.strip()
        lsym = sp.sympify(ls)
        rsym = sp.sympify(rs)
        if op in ("<", "<=", ">", ">=") and (lsym.is_Symbol and rsym.is_number or rsym.is_Symbol and lsym.is_number) \
                and (rsym.is_Rational or lsym.is_Rational):
            if lsym.is_Symbol:
                v, c, o = str(lsym), rsym, op
            else:
                v, c, o = str(rsym), lsym, {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
            if v in bounds:
                side = 0 if o in (">", ">=") else 1
                cur = bounds[v][side]
                cv = sp.Rational(c)
                better = cur is None or (cv > sp.Rational(cur) if side == 0 else cv < sp.Rational(cur))
                if better or (cv == sp.Rational(cur) and o in ("<", ">")):
                    bounds[v][side] = str(cv)
                    strict[v][side] = o in ("<", ">")
                continue
        if op == "!=":
            hyps.append(f"Ne({ls}, {rs})")
        elif op == "=":
            hyps.append(f"Eq({ls}, {rs})")
        else:
            hyps.append(f"{ls} {op} {rs}")
    _, op, lhs_s, r = f
    goal = f"{lhs_s.strip()} {op} {r.strip()}"
    used = set()
    for t in [goal] + hyps:
        used |= {str(s) for s in sp.sympify(t.replace("Ne(", "Ne(").replace("Eq(", "Eq(")).free_symbols}
    bnds = {v: [int(b) if b is not None and sp.Rational(b).q == 1 else b for b in bounds[v]] for v in names}
    return {"name": path.name, "vars": bnds, "strict": strict, "hyps": hyps, "goal": goal,
            "functions": sorted(p.funcs), "nvars": len(names), "tptp_formula": fname}


# ---------------------------------------------------------------------------------------------- sampling
def sample_point(rec, rng):
    pt = {}
    for v, (lo, hi) in rec["vars"].items():
        a = float(sp.Rational(lo)) if lo is not None else None
        b = float(sp.Rational(hi)) if hi is not None else None
        if a is not None and b is not None:
            x = rng.uniform(a, b) if rng.random() < 0.8 else rng.choice([a + (b - a) * 1e-6, b - (b - a) * 1e-6])
        elif a is not None:
            x = a + 10 ** rng.uniform(-4, 4)
        elif b is not None:
            x = b - 10 ** rng.uniform(-4, 4)
        else:
            x = rng.choice([-1, 1]) * 10 ** rng.uniform(-3, 3)
        pt[v] = sp.Rational(Fraction(x).limit_denominator(10 ** 8))
    return {k: v for k, v in pt.items()}


def parse_goal(rec):
    g = rec["goal"]
    for op in ("<=", ">=", "<", ">"):
        if f" {op} " in g:
            lhs_s, r = g.split(f" {op} ", 1)
            lhs, rhs = sp.sympify(lhs_s), sp.sympify(r)
            if op in (">", ">="):
                lhs, rhs = rhs, lhs
            return lhs, rhs, op in ("<", ">")
    raise ValueError(g)


_FN_CACHE: dict = {}


def _fn(text: str):
    """(free symbols, mpmath function) of an expression text, cached."""
    if text not in _FN_CACHE:
        e = sp.sympify(text)
        syms = sorted(e.free_symbols, key=lambda t: t.name)
        _FN_CACHE[text] = (syms, sp.lambdify(syms, e, modules="mpmath"))
    return _FN_CACHE[text]


def _val(text: str, pt) -> mpmath.mpf | None:
    syms, f = _fn(text)
    with mpmath.workdps(50):
        try:
            v = f(*[mpmath.mpf(pt[s.name].p) / pt[s.name].q for s in syms])
        except (ValueError, ZeroDivisionError, OverflowError, TypeError, KeyError):
            return None
        if isinstance(v, mpmath.mpc):
            if abs(v.imag) > mpmath.mpf(10) ** -40:
                return None
            v = v.real
        return v if mpmath.isfinite(v) else None


def holds(rec, pt):
    for h in rec["hyps"]:
        if h.startswith("Eq("):
            return False  # cannot sample Eq-constrained points by chance
        if h.startswith("Ne("):
            continue
        for op in ("<=", ">=", "<", ">"):
            if f" {op} " in h:
                lhs_s, r = h.split(f" {op} ", 1)
                d = _val(f"({lhs_s}) - ({r})", pt)
                if d is None:
                    return False
                if op in ("<", "<=") and d > 0 or op in (">", ">=") and d < 0:
                    return False
                break
    return True


def slack(rec, pt):
    g = rec["goal"]
    for op in ("<=", ">=", "<", ">"):
        if f" {op} " in g:
            lhs_s, r = g.split(f" {op} ", 1)
            d = _val(f"({r}) - ({lhs_s})" if op in ("<", "<=") else f"({lhs_s}) - ({r})", pt)
            return d
    return None


EXCLUDED = {
    "log-problem-4.tptp": "0 <= X with ln X: undefined at X = 0",
    "math-overflow-problem-1.tptp": "0 <= X with ln X: undefined at X = 0",
}


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    corpus, shared, out = map(Path, sys.argv[1:4])
    taken = {json.loads(line)["name"].split("~")[0] for line in shared.read_text().splitlines() if line.strip()}
    from boundcheck.prove.certify import certify_violation

    rng = random.Random(20261130)
    cands = []
    skipped = {}
    for f in sorted(corpus.glob("*.tptp")):
        if f.name in taken:
            continue
        try:
            rec = convert(f)
        except (ParseError, sp.SympifyError, TypeError, ValueError) as err:
            skipped[f.name] = str(err)[:60]
            continue
        if rec is None:
            continue
        cands.append(rec)
    print("candidates", len(cands), file=sys.stderr)
    true_recs = []
    for rec in cands:
        ok, seen = True, 0
        for _ in range(150):
            pt = sample_point(rec, rng)
            if not holds(rec, pt):
                continue
            s = slack(rec, pt)
            if s is None:
                continue
            seen += 1
            if s < 0 or (s == 0 and parse_goal(rec)[2]):
                ok = False
                break
        if ok and (seen >= 20 or any(h.startswith("Eq(") for h in rec["hyps"])):
            rec["expected"] = "theorem"
            rec["spot_check"] = {"points": seen, "violations": 0}
            rec["source"] = f"georgegunter/Verification-of-Car-Following-Reinforcement-Learning@f20395d:" \
                            f"lcpaulson-metitarski-1ed3b6ab11b8/tptp/Problems/{rec['name']}"
            true_recs.append(rec)
    print("true after spot check", len(true_recs), file=sys.stderr)
    rng.shuffle(true_recs)
    chosen = true_recs[:85]
    false_recs = []
    for rec in true_recs:
        if len(false_recs) >= 48:
            break
        if rec["hyps"] and any(h.startswith("Eq(") for h in rec["hyps"]):
            continue
        lhs, rhs, strict = parse_goal(rec)
        kind = "flip_relation" if len(false_recs) % 2 == 0 else "tighten_constant"
        best = None
        for _ in range(200):
            pt = sample_point(rec, rng)
            if not holds(rec, pt):
                continue
            s = slack(rec, pt)
            if s is None or s <= 0:
                continue
            if best is None or (s < best[1] if kind == "tighten_constant" else s > best[1]):
                best = (pt, s)
        if best is None:
            continue
        pt, s = best
        if kind == "flip_relation":
            goal = f"{rhs} < {lhs}"  # false wherever the original is strict
            g = lhs - rhs
            st = True
        else:
            shift = sp.Rational(Fraction(float(s) * 1.5).limit_denominator(10 ** 6))
            if shift <= s:
                shift = s * 2
                shift = sp.Rational(Fraction(float(shift)).limit_denominator(10 ** 6))
            goal = f"{lhs} + {shift} <= {rhs}" if not strict else f"{lhs} + {shift} < {rhs}"
            g = rhs - lhs - shift
            st = strict
        symmap = {sp.Symbol(k): v for k, v in pt.items()}
        gs = g.subs({sp.Symbol(k): sp.Symbol(k) for k in pt})
        if certify_violation(gs, symmap, strict=st) is None:
            continue
        new = dict(rec)
        new.pop("spot_check", None)
        new.update(name=rec["name"] + "~" + kind, goal=goal, expected="false", derived_from=rec["name"],
                   perturbation={"type": kind}, witness={k: str(v) for k, v in pt.items()})
        false_recs.append(new)
    print("false", len(false_recs), file=sys.stderr)
    kept = [r for r in chosen + false_recs if r["name"].split("~")[0] not in EXCLUDED]
    chosen = [r for r in kept if r["expected"] == "theorem"]
    false_recs = [r for r in kept if r["expected"] == "false"]
    with open(out, "w") as fh:
        for r in chosen + false_recs:
            fh.write(json.dumps(r) + "\n")
    print(json.dumps({"true": len(chosen), "false": len(false_recs), "skipped_parse": len(skipped)}))


if __name__ == "__main__":
    main()
