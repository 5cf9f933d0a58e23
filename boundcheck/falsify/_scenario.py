"""Scenarios (layer 5 ``falsify``): one concrete point of a conjecture's scenario space.

A :class:`Scenario` fixes everything a measurement needs (quantity, space, sampler, map, loss,
good-sample rule, values of a spec's free symbols, seed); drawing scenarios is separate from
measuring them (:mod:`._measure`) and from steering the search (:mod:`._search`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._format import Component, Conjecture, Param

__all__ = ["Scenario", "draw_scenario", "scenario_strategy", "mutate_scenario", "sweep_scenarios"]

_Params = tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Scenario:
    """A concrete scenario. Invariant: every value is a plain number or string (JSON round-trips it)."""

    quantity: str
    space: str
    space_params: _Params
    sampler: str
    sampler_params: _Params
    map: str
    map_params: _Params
    loss: str | None
    loss_params: _Params
    good: str
    bind: _Params
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "quantity": self.quantity,
            "space": {"name": self.space, **dict(self.space_params)},
            "sampler": {"name": self.sampler, **dict(self.sampler_params)},
            "map": {"name": self.map, **dict(self.map_params)},
            "loss": None if self.loss is None else {"name": self.loss, **dict(self.loss_params)},
            "good": self.good,
            "bind": dict(self.bind),
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Inverse of :meth:`to_dict`."""

        def split(d: dict[str, Any] | None) -> tuple[str | None, _Params]:
            if d is None:
                return None, ()
            rest = {k: v for k, v in d.items() if k != "name"}
            return d["name"], tuple(sorted(rest.items()))

        space, sp_ = split(data["space"])
        sampler, sa_ = split(data["sampler"])
        map_, mp_ = split(data["map"])
        loss, lp_ = split(data.get("loss"))
        return cls(quantity=data["quantity"], space=space, space_params=sp_, sampler=sampler,
                   sampler_params=sa_, map=map_, map_params=mp_, loss=loss, loss_params=lp_, good=data["good"],
                   bind=tuple(sorted(data.get("bind", {}).items())), seed=int(data["seed"]))

    def describe(self) -> str:
        """One line for tables: quantity, space, sampler, loss/rule, bound values."""

        def fmt(name: str | None, params: _Params) -> str:
            if name is None:
                return "-"
            if not params:
                return name
            inner = ", ".join(f"{k}={_short(v)}" for k, v in params)
            return f"{name}({inner})"

        parts = [self.quantity, fmt(self.space, self.space_params)]
        if self.quantity != "spec_gap":
            parts.append(fmt(self.sampler, self.sampler_params))
        if self.quantity in ("good_distance", "loss_gap"):
            if self.map != "identity":
                parts.append(fmt(self.map, self.map_params))
            parts.append(fmt(self.loss, self.loss_params))
            if self.quantity == "good_distance":
                parts.append(f"good={self.good}")
        if self.quantity == "spec_gap" and self.bind:
            parts.append(", ".join(f"{k}={_short(v)}" for k, v in self.bind))
        return " | ".join(parts)


def _short(v: Any) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _concrete(comp: Component, values: dict[str, Any]) -> tuple[str, _Params]:
    return comp.name, tuple(sorted(values.items()))


def _uses_sampler(quantity: str) -> bool:
    return quantity != "spec_gap"


def _spec_params(conj: Conjecture) -> tuple[tuple[str, Param], ...]:
    if conj.spec is None:
        return ()
    return tuple((k, v) for k, v in conj.spec.bind if isinstance(v, Param))


def _assemble(conj: Conjecture, quantity: str, space: tuple[str, _Params], sampler: tuple[str, _Params],
              map_: tuple[str, _Params], loss: tuple[str | None, _Params], good: str, bind: _Params,
              seed: int) -> Scenario:
    """Normalise the components a quantity does not use, so equal scenarios compare equal."""
    if quantity == "spec_gap":
        sampler, map_, loss, good = ("none", ()), ("identity", ()), (None, ()), "all"
    else:
        bind = ()
    if quantity not in ("good_distance", "loss_gap"):
        map_, loss, good = ("identity", ()), (None, ()), "all"
    elif quantity == "loss_gap":
        good = "all"
    return Scenario(quantity=quantity, space=space[0], space_params=space[1], sampler=sampler[0],
                    sampler_params=sampler[1], map=map_[0], map_params=map_[1], loss=loss[0], loss_params=loss[1],
                    good=good, bind=bind, seed=seed)


def draw_scenario(conj: Conjecture, rng: np.random.Generator) -> Scenario:
    """A scenario drawn uniformly from the conjecture's scenario space (random search)."""
    s = conj.search

    def pick(comps: tuple[Component, ...]) -> tuple[str | None, _Params]:
        return _pick(comps, rng)

    quantity = conj.quantities[int(rng.integers(len(conj.quantities)))]
    bind = tuple(sorted((k, p.draw(rng)) for k, p in _spec_params(conj)))
    return _assemble(conj, quantity, pick(s.spaces), pick(s.samplers), pick(s.maps), pick(s.losses),
                     s.good[int(rng.integers(len(s.good)))], bind, int(rng.integers(2**31 - 1)))


def sweep_scenarios(conj: Conjecture, rng: np.random.Generator) -> list[Scenario]:
    """One scenario for every combination of quantity, space and sampler (the sampler only where the quantity
    uses one), in a random order, the other components and every parameter drawn at random: a space-filling
    opening design over the categorical factors, so no combination waits on luck. It knows nothing about
    where counterexamples are."""
    s = conj.search
    combos = []
    for quantity in conj.quantities:
        samplers = range(len(s.samplers)) if _uses_sampler(quantity) and s.samplers else [None]
        for i in range(len(s.spaces)):
            for j in samplers:
                combos.append((quantity, i, j))
    out = []
    for k in rng.permutation(len(combos)):
        quantity, i, j = combos[int(k)]
        space = _pick((s.spaces[i],), rng)
        sampler = _pick((s.samplers[j],), rng) if j is not None else ("none", ())
        bind = tuple(sorted((key, p.draw(rng)) for key, p in _spec_params(conj)))
        out.append(_assemble(conj, quantity, space, sampler, _pick(s.maps, rng), _pick(s.losses, rng),
                             s.good[int(rng.integers(len(s.good)))], bind, int(rng.integers(2**31 - 1))))
    return out


def scenario_strategy(conj: Conjecture) -> Any:
    """The scenario space as a Hypothesis strategy (for the targeted search)."""
    from hypothesis import strategies as st

    s = conj.search

    def comp_strategy(comps: tuple[Component, ...]) -> Any:
        if not comps:
            return st.just((None, ()))
        options = [st.fixed_dictionaries({k: p.strategy() for k, p in c.params}).map(
            lambda vals, c=c: _concrete(c, vals)) for c in comps]
        return st.one_of(options)

    bind_strategy = st.fixed_dictionaries({k: p.strategy() for k, p in _spec_params(conj)}).map(
        lambda d: tuple(sorted(d.items())))

    @st.composite
    def scenario(draw: Any) -> Scenario:
        quantity = draw(st.sampled_from(conj.quantities))
        space = draw(comp_strategy(s.spaces))
        sampler = draw(comp_strategy(s.samplers)) if _uses_sampler(quantity) else ("none", ())
        uses_loss = quantity in ("good_distance", "loss_gap")
        map_ = draw(comp_strategy(s.maps)) if uses_loss else ("identity", ())
        loss = draw(comp_strategy(s.losses)) if uses_loss else (None, ())
        good = draw(st.sampled_from(s.good)) if quantity == "good_distance" else "all"
        bind = draw(bind_strategy) if quantity == "spec_gap" else ()
        seed = draw(st.integers(0, 2**31 - 2))
        return _assemble(conj, quantity, space, sampler, map_, loss, good, bind, seed)

    return scenario()


def _pick(comps: tuple[Component, ...], rng: np.random.Generator) -> tuple[str | None, _Params]:
    if not comps:
        return None, ()
    comp = comps[int(rng.integers(len(comps)))]
    return _concrete(comp, {k: p.draw(rng) for k, p in comp.params})


def mutate_scenario(conj: Conjecture, scen: Scenario, rng: np.random.Generator) -> Scenario:
    """A neighbour of ``scen`` (evolutionary search): one component or parameter redrawn, new seed."""
    s = conj.search
    space = (scen.space, scen.space_params)
    sampler = (scen.sampler, scen.sampler_params)
    map_ = (scen.map, scen.map_params)
    loss = (scen.loss, scen.loss_params)
    good, bind = scen.good, scen.bind
    if scen.quantity == "spec_gap":
        sampler = _pick(s.samplers, rng)
    if scen.quantity not in ("good_distance", "loss_gap"):
        map_, loss = _pick(s.maps, rng), _pick(s.losses, rng)
    choice = ("space", "params", "sampler", "loss", "map", "good", "bind")[int(rng.integers(7))]
    if choice == "space":
        space = _pick(s.spaces, rng)
    elif choice == "params":
        same = [c for c in s.spaces if c.name == scen.space and c.params]
        if same:
            space = _pick((same[int(rng.integers(len(same)))],), rng)
    elif choice == "sampler":
        sampler = _pick(s.samplers, rng)
    elif choice == "loss":
        loss = _pick(s.losses, rng)
    elif choice == "map":
        map_ = _pick(s.maps, rng)
    elif choice == "good":
        good = s.good[int(rng.integers(len(s.good)))]
    else:
        bind = draw_scenario_bind(conj, rng)
    if scen.quantity == "spec_gap" and not bind:
        bind = draw_scenario_bind(conj, rng)
    return _assemble(conj, scen.quantity, space, sampler, map_, loss, good, bind, int(rng.integers(2**31 - 1)))


def draw_scenario_bind(conj: Conjecture, rng: np.random.Generator) -> _Params:
    """Fresh values for the searched symbols of the spec."""
    return tuple(sorted((k, p.draw(rng)) for k, p in _spec_params(conj)))
