"""Verdicts (layer 3): Status, Certificate, Witness, Verdict.

Invariants: a PROVED verdict carries a Certificate; a REFUTED verdict carries a Witness whose point
was re-evaluated at 50 significant digits and found to violate the claim; an UNKNOWN verdict carries a
reason. These are checked in ``__post_init__``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .proof import Proof


class Status(enum.Enum):
    """The outcome of a claim: PROVED (with a certificate), REFUTED (with a certified witness), UNKNOWN."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value.upper()


@dataclass(frozen=True, slots=True)
class Certificate:
    """Why a claim is proved.

    Attributes:
        method: the rung that proved it (``calculus``, ``smt``, ``derivative``, ``symbolic``).
        detail: human-readable justification (rules applied, case split, ...).
        smtlib: the SMT-LIB2 obligation whose unsat proves the claim (for ``smt``), else None.
        path: file the obligation was written to, when it was written.
    """

    method: str
    detail: str
    smtlib: str | None = None
    path: str | None = None
    obligations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Witness:
    """A point that violates a claim, confirmed at high precision.

    Attributes:
        point: (symbol name, exact value as a string) pairs; integer symbols get integers.
        values: (quantity, value at 50 digits) pairs that show the violation.
        explanation: one sentence: what fails at this point.
    """

    point: tuple[tuple[str, str], ...]
    values: tuple[tuple[str, str], ...]
    explanation: str
    digits: int = 50

    def as_dict(self) -> dict[str, str]:
        return dict(self.point)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of one claim."""

    claim_id: str
    status: Status
    method: str
    certificate: Certificate | None = None
    witness: Witness | None = None
    reason: str = ""
    seconds: float = 0.0
    vacuous: bool = False
    conditional: tuple[str, ...] = ()
    #: the steps the deciding rung took (:mod:`boundcheck.prove.proof`); None when it recorded none
    proof: Proof | None = None
    result: tuple[tuple[str, str], ...] = ()
    """What a threshold or optimum claim found (``("n*", "2422")``, ``("eps*", ...)``), as text pairs."""

    def __post_init__(self) -> None:
        if self.status is Status.PROVED and self.certificate is None:
            raise ValueError("a PROVED verdict needs a certificate")
        if self.status is Status.REFUTED and self.witness is None:
            raise ValueError("a REFUTED verdict needs a confirmed witness")
        if self.status is Status.UNKNOWN and not self.reason:
            raise ValueError("an UNKNOWN verdict needs a reason")

    @property
    def proved(self) -> bool:
        return self.status is Status.PROVED

    @property
    def refuted(self) -> bool:
        return self.status is Status.REFUTED

    def summary(self) -> str:
        """One line: status, method and the certificate, witness or reason."""
        if self.status is Status.PROVED:
            if self.vacuous:
                return f"{self.label()}: {self.certificate.detail}"  # type: ignore[union-attr]
            cond = f" (conditional on {', '.join(self.conditional)})" if self.conditional else ""
            return f"PROVED{cond} by {self.method}: {self.certificate.detail}"  # type: ignore[union-attr]
        if self.status is Status.REFUTED:
            pt = ", ".join(f"{k}={v}" for k, v in self.witness.point)  # type: ignore[union-attr]
            where = f" at {pt}" if pt else ""
            return f"REFUTED{where}: {self.witness.explanation}"  # type: ignore[union-attr]
        return f"UNKNOWN: {self.reason}"

    def label(self) -> str:
        """The verdict word as shown in tables: ``PROVED (vacuous: ...)`` for a claim over an empty domain."""
        if self.status is Status.PROVED and self.vacuous:
            return "PROVED (vacuous: the assumptions leave no point)"
        if self.status is Status.PROVED and self.conditional:
            return f"PROVED (conditional on {', '.join(self.conditional)})"
        return str(self.status)

    def __repr__(self) -> str:
        return f"<Verdict {self.claim_id}: {self.summary()} ({self.seconds:.2f}s)>"

    def _repr_html_(self) -> str:
        from ..report.notebook import verdict_html  # display only: the report layer renders

        return verdict_html(self)

    def _repr_latex_(self) -> str:
        from ..report.notebook import verdict_latex

        return verdict_latex(self)

    def _repr_markdown_(self) -> str:
        return f"**{self.claim_id}**: {self.summary()}"

    def to_dict(self) -> dict:
        out: dict = {"claim": self.claim_id, "status": self.status.value, "method": self.method,
                     "seconds": round(self.seconds, 4)}
        if self.certificate is not None:
            out["certificate"] = {"method": self.certificate.method, "detail": self.certificate.detail,
                                  "path": self.certificate.path}
        if self.witness is not None:
            out["witness"] = {"point": dict(self.witness.point), "values": dict(self.witness.values),
                              "explanation": self.witness.explanation, "digits": self.witness.digits}
        if self.reason:
            out["reason"] = self.reason
        if self.vacuous:
            out["vacuous"] = True
        if self.conditional:
            out["conditional"] = list(self.conditional)
        if self.proof is not None:
            out["proof"] = self.proof.to_dict()
        if self.result:
            out["result"] = dict(self.result)
        return out
