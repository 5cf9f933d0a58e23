"""The public Python API (what the CLI uses and the README shows).

    >>> import boundcheck
    >>> problem = boundcheck.load("examples/croissant.toml")
    >>> verdicts = boundcheck.verify(problem)
"""

from __future__ import annotations

from .prove.ladder import prove_claim, verify
from .prove.verdict import Certificate, Status, Verdict, Witness
from .spec import Claim, Problem, Symbol, load, loads, problem_from_dict

__all__ = ["load", "loads", "problem_from_dict", "verify", "prove_claim", "Problem", "Claim", "Symbol", "Verdict",
           "Status", "Certificate", "Witness"]
