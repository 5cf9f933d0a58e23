"""Independent re-checking of a report folder (``boundcheck recheck REPORT_DIR``).

Reads ``check.json``, the spec copy ``spec.toml`` (or a spec the user names) and ``certificates/``, and
re-verifies every certificate without the prover: SMT-LIB2 obligations with z3 (and cvc5 where it is
installed) after tying each to its claim; calculus proof trees by replaying each rule on the stored
sub-expressions with this package's own sign algebra and interval evaluator; witnesses by rigorous interval
evaluation at the stored point. It imports nothing from the prover's rungs (``boundcheck.prove.ladder``,
``calculus``, ``smt``, ``refute``, ``asymptotic``): only the proof data type and the spec reader, and, for
branch-and-bound proofs, that rung's own certificate checker (``prove.bnb.check_goal_certificate``, mpmath
intervals, written to be independent of the search).

What is not re-checked is said so (status ``skipped``): asymptotic case analyses, the derivative method
(a proof by cases over sub-intervals), and witnesses of asymptotic claims.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from ..errors import SpecError
from ..prove.proof import Proof, claim_fingerprint
from ..spec import Claim, Problem, load
from ._common import ANY, NEG, NONNEG, NONPOS, POS, ZERO, CheckFailed, CheckUnsupported, domain_bounds, goal_of

__all__ = ["recheck", "RecheckItem", "RecheckReport", "CheckFailed"]


@dataclass(frozen=True)
class RecheckItem:
    claim: str
    what: str
    status: str  # ok | failed | skipped
    message: str = ""


@dataclass(frozen=True)
class RecheckReport:
    items: tuple[RecheckItem, ...] = field(default=())

    @property
    def failed(self) -> list[RecheckItem]:
        return [i for i in self.items if i.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        out = {"ok": 0, "failed": 0, "skipped": 0}
        for i in self.items:
            out[i.status] = out.get(i.status, 0) + 1
        return out

    def to_dict(self) -> dict:
        return {"ok": self.ok, "counts": self.counts(),
                "items": [{"claim": i.claim, "what": i.what, "status": i.status, "message": i.message}
                          for i in self.items]}


#: the rungs that record a proof object with every PROVED verdict (a missing one is tampering)
_RECORDING = {"calculus", "smt", "derivative", "symbolic", "asymptotic", "continuity", "vacuous", "bnb"}

_MONO_TARGET = {"increasing": POS, "decreasing": NEG, "nondecreasing": NONNEG, "nonincreasing": NONPOS}
_SIGN_TARGET = {"ge": NONNEG, "gt": POS, "eq": ZERO}


def recheck(report_dir: str | Path, spec: str | Path | None = None, *, timeout: float = 20.0) -> RecheckReport:
    """Re-verify every certificate of a report folder.

    Args:
        report_dir: a folder written by ``boundcheck check`` (``check.json``, ``spec.toml``, ``certificates/``).
        spec: the spec to check the claims against (default: the copy ``spec.toml`` in the folder).
        timeout: seconds per solver call.

    Raises:
        SpecError: the folder has no ``check.json`` or no spec, or they are malformed.
    """
    root = Path(report_dir)
    cj = root / "check.json"
    try:
        data = json.loads(cj.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise SpecError(f"{cj}: no check.json (is this a report folder written by 'boundcheck check'?)") from err
    except (OSError, json.JSONDecodeError) as err:
        raise SpecError(f"{cj}: cannot read it: {err}") from err
    spec_path = Path(spec) if spec is not None else root / "spec.toml"
    if not spec_path.exists():
        raise SpecError(f"{spec_path}: no spec to check the claims against (pass --spec)")
    problem = load(spec_path)
    claims = {c.id: c for c in problem.all_claims}
    items: list[RecheckItem] = []
    entries = data.get("claims")
    if not isinstance(entries, list):
        raise SpecError(f"{cj}: key 'claims' is not a list")
    for entry in entries:
        cid = str(entry.get("claim", ""))
        status = entry.get("status")
        claim = claims.get(cid)
        if claim is None:
            items.append(RecheckItem(cid, "claim", "failed", "no claim with this id in the spec"))
            continue
        try:
            if status == "proved":
                items.extend(_proved(root, problem, claim, entry, timeout))
            elif status == "refuted":
                items.append(_refuted(problem, claim, entry))
        except CheckUnsupported as err:
            items.append(RecheckItem(cid, _what(entry), "skipped", f"not re-checkable here: {err}"))
        except CheckFailed as err:
            items.append(RecheckItem(cid, _what(entry), "failed", str(err)))
        except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as err:
            items.append(RecheckItem(cid, _what(entry), "failed", f"malformed certificate ({type(err).__name__}: "
                                                                   f"{err})"))
    return RecheckReport(tuple(items))


def _what(entry: dict) -> str:
    if entry.get("status") == "refuted":
        return "witness"
    return str((entry.get("proof") or {}).get("method") or entry.get("method") or "proof")


def _proved(root: Path, problem: Problem, claim: Claim, entry: dict, timeout: float) -> list[RecheckItem]:
    cid = claim.id
    if not entry.get("proof"):
        method = str(entry.get("method") or "")
        if method and method not in _RECORDING:
            # a rung that records no proof yet (e.g. thresholds): said so, not passed
            return [RecheckItem(cid, method, "skipped", f"the {method} rung records no proof object to re-check")]
        raise CheckFailed("a PROVED verdict without a proof object")
    proof = Proof.from_dict(entry["proof"])
    fp = claim_fingerprint(problem, claim)
    if proof.claim != fp:
        raise CheckFailed("the proof was not written for this claim (its fingerprint differs from the spec's)")
    m = proof.method
    if m == "smt":
        from ._smt import check_obligation

        cert = entry.get("certificate") or {}
        name = Path(str(cert.get("path") or "")).name
        path = root / "certificates" / name
        if not name or not path.is_file():
            raise CheckFailed(f"the SMT-LIB2 certificate {name or '(none)'} is missing from certificates/")
        notes = check_obligation(path.read_text(encoding="utf-8"), problem, claim, fp, timeout=timeout)
        return [RecheckItem(cid, f"smt ({path.name})", "ok", "; ".join(notes))]
    if m == "calculus":
        from ._tree import check_box, replay

        box = check_box(proof.box, domain_bounds(problem, claim))
        if claim.kind in _MONO_TARGET:
            x = problem.symbol(claim.var).sym
            n = replay(proof, box, claim.expr, _MONO_TARGET[claim.kind], mono_var=x)
        else:
            goal = goal_of(claim)
            n = replay(proof, box, goal.g, _SIGN_TARGET[goal.rel])
        return [RecheckItem(cid, "calculus", "ok", f"{n} rule applications replayed")]
    if m == "derivative":
        from ._tree import check_box, replay_derivative_method

        box = check_box(proof.box, domain_bounds(problem, claim))
        goal = goal_of(claim)
        try:
            n = replay_derivative_method(proof, box, goal.g, goal.rel == "gt")
        except CheckFailed as err:
            if "not re-checked" in str(err) or "no obligation" in str(err):
                return [RecheckItem(cid, "derivative", "skipped", str(err))]
            raise
        return [RecheckItem(cid, "derivative", "ok", f"{n} rule applications replayed")]
    if m == "bnb":
        return [_bnb(problem, claim, proof)]
    if m == "symbolic":
        goal = goal_of(claim)
        if goal.rel != "eq" or sp.simplify(goal.g) != 0:
            raise CheckFailed("the two sides do not simplify to the same expression")
        return [RecheckItem(cid, "symbolic", "ok", "lhs - rhs simplifies to 0")]
    if m == "bnb":
        return [_bnb(problem, claim, proof)]
    return [RecheckItem(cid, m, "skipped", f"proofs by the {m} method are not re-checked independently")]


def _bnb(problem: Problem, claim: Claim, proof: Proof) -> RecheckItem:
    """Replay a branch-and-bound certificate with its independent checker (mpmath intervals, boxes recomputed
    from the claim's domain, derivatives from sympy)."""
    import json

    from ..prove.bnb import CertificateError
    from ..prove.bnb import recheck as bnb_recheck
    from ..prove.ladder import _Context, _goal_of

    steps = [s for s in proof.steps if s.rule == "bnb"]
    if not steps:
        raise CheckFailed("a bnb proof without its certificate")
    cert = json.loads(dict(steps[0].data)["certificate"])
    ctx = _Context(problem, claim, 10.0, 0)
    goal = _goal_of(claim)
    try:
        n = bnb_recheck(cert, goal.g, strict=goal.strict, box=ctx.box, symbols=[s.sym for s in ctx.symbols],
                        hypotheses=ctx.hypotheses)
    except CertificateError as err:
        raise CheckFailed(f"branch-and-bound certificate rejected: {err}") from err
    return RecheckItem(claim.id, "bnb", "ok", f"{n} boxes replayed with mpmath intervals")


def _bnb(problem: Problem, claim: Claim, proof: Proof) -> RecheckItem:
    """A branch-and-bound certificate, replayed by its own interval checker (``prove.bnb.check_goal_certificate``,
    mpmath intervals, independent of the search) on the goal and domain re-derived here from the spec."""
    from fractions import Fraction
    import math

    from ..prove.bnb import CertificateError, Var, check_goal_certificate

    goal = goal_of(claim)
    data = dict(proof.steps[0].data) if proof.steps else {}
    try:
        cert = json.loads(data.get("certificate", ""))
    except ValueError as err:
        raise CheckFailed("the branch-and-bound certificate is not JSON") from err
    hyps = tuple(problem.assumptions) + tuple(claim.assume)
    bounds = domain_bounds(problem, claim)

    def end(x, inf: float):
        if x is None:
            return inf
        if not x.is_Rational:
            raise CheckUnsupported(f"the domain bound {x} is not rational")
        return Fraction(int(x.p), int(x.q))

    variables = [Var(s.sym, end(bounds[s.sym].lo, -math.inf), end(bounds[s.sym].hi, math.inf), bounds[s.sym].lo_open,
                     bounds[s.sym].hi_open, bounds[s.sym].integer)
                 for s in problem.symbols if s.sym in goal.g.free_symbols or any(s.sym in h.free_symbols for h in hyps)]
    try:
        n = check_goal_certificate(cert, goal.g, variables, hyps, strict=goal.rel == "gt")
    except CertificateError as err:
        raise CheckFailed(f"branch-and-bound certificate: {err}") from err
    return RecheckItem(claim.id, "bnb", "ok", f"{n} boxes replayed by the interval checker of prove/bnb.py")


def _refuted(problem: Problem, claim: Claim, entry: dict) -> RecheckItem:
    from ._witness import check_witness

    w = entry.get("witness") or {}
    point = w.get("point") or {}
    if claim.kind in ("limit", "exponent", "threshold", "optimum"):
        return RecheckItem(claim.id, "witness", "skipped", f"witnesses of {claim.kind} claims are not re-checked")
    msg = check_witness(problem, claim, {str(k): str(v) for k, v in point.items()})
    return RecheckItem(claim.id, "witness", "ok", msg)


_ = ANY  # re-exported sign sets are used by the submodules
