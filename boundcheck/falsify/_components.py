"""Building blocks of a conjecture's scenario space (layer 5 ``falsify``): parameters and components.

Their one home: the conjecture reader (:mod:`._format`) builds them and the engine adapter
(:mod:`._engine`) validates them, so neither imports the other for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Param", "Component"]


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter of the scenario space: fixed, an integer or real range, or a choice.

    Invariants: ``kind`` is ``fixed`` (``value``), ``int``/``float`` (``lo <= hi``; ``log`` only with
    ``lo > 0``) or ``choice`` (non-empty ``choices``).
    """

    kind: str
    value: Any = None
    lo: float | None = None
    hi: float | None = None
    log: bool = False
    choices: tuple[Any, ...] = ()

    def draw(self, rng: Any) -> Any:
        """One value drawn with a numpy Generator."""
        if self.kind == "fixed":
            return self.value
        if self.kind == "choice":
            return self.choices[int(rng.integers(len(self.choices)))]
        if self.kind == "int":
            return int(rng.integers(int(self.lo), int(self.hi) + 1))
        if self.log:
            return float(math.exp(rng.uniform(math.log(self.lo), math.log(self.hi))))
        return float(rng.uniform(self.lo, self.hi))

    def strategy(self) -> Any:
        """The same distribution as a Hypothesis strategy."""
        from hypothesis import strategies as st

        if self.kind == "fixed":
            return st.just(self.value)
        if self.kind == "choice":
            return st.sampled_from(self.choices)
        if self.kind == "int":
            return st.integers(int(self.lo), int(self.hi))
        if self.log:
            lo, hi = math.log(self.lo), math.log(self.hi)
            return st.floats(lo, hi).map(lambda x: float(min(self.hi, max(self.lo, math.exp(x)))))
        return st.floats(float(self.lo), float(self.hi))

    def lowest(self) -> Any:
        """A representative value (used to validate a component when the file is read)."""
        if self.kind == "fixed":
            return self.value
        if self.kind == "choice":
            return self.choices[0]
        return int(self.lo) if self.kind == "int" else float(self.lo)


@dataclass(frozen=True, slots=True)
class Component:
    """A named building block of a scenario (space, sampler, map or loss) with its parameter ranges."""

    name: str
    params: tuple[tuple[str, Param], ...] = ()

    def param_dict(self) -> dict[str, Param]:
        return dict(self.params)
