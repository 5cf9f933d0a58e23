"""The public Python API (what the CLI uses and the README shows).

    >>> import boundcheck
    >>> problem = boundcheck.load("examples/croissant.toml")
    >>> verdicts = boundcheck.verify(problem)
"""

from __future__ import annotations

from .prove.ladder import prove_claim, verify
from .prove.verdict import Certificate, Status, Verdict, Witness
from .spec import Claim, Problem, Symbol, load, loads, problem_from_dict

__all__ = ["load", "loads", "problem_from_dict", "verify", "prove_claim", "solve", "Problem", "Claim", "Symbol",
           "Verdict", "Status", "Certificate", "Witness"]


def solve(problem: Problem, relation: str | None = None, var: str = "n", given: dict | None = None, *,
          timeout: float = 10.0, seed: int = 0) -> tuple[Verdict, ...]:
    """The referee's questions: the threshold of ``relation`` in ``var`` (``"bound <= 1/10"``: from which
    ``n`` on?), for ``given`` values of other symbols; without a relation, the spec's own threshold and
    optimum claims. Each verdict's ``result`` holds what was found (``n*``, ``eps*``, the tuned value).

    Raises:
        SpecError: a malformed relation, variable or value.
        UsageError: a relation that is not one comparison.
    """
    if relation is not None:
        from .prove.threshold import threshold_claim

        claim = threshold_claim(problem, relation, var, given)
        return (prove_claim(problem, claim, timeout=timeout, seed=seed),)
    return tuple(prove_claim(problem, c, timeout=c.timeout or timeout, seed=seed) for c in problem.claims
                 if c.kind in ("threshold", "optimum"))
