"""boundcheck: derive, prove, refute, stress-test and write up generalization bounds.

The public surface is :mod:`boundcheck.api`, re-exported here lazily (importing the package stays cheap).
"""

from __future__ import annotations

__all__ = ["load", "loads", "problem_from_dict", "verify", "prove_claim", "solve", "check", "Problem", "Claim", "Symbol",
           "Verdict", "Status", "Certificate", "Witness"]


def __getattr__(name: str):
    if name == "check":
        from .pipeline import check

        return check
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'boundcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
