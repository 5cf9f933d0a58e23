"""Counterexample search for scaling conjectures (layer 5): ``boundcheck falsify``.

A conjecture file (TOML, see ``docs/falsify.md``) states how a measured quantity scales with the number
of samples n, as an exponent expressed through the latent space's known properties, and the scenario
space to search. :func:`search` explores that space (Hypothesis with ``target()``, or an evolutionary
search) on a local process pool or a dask cluster, fits each scenario's exponent with a bootstrap CI,
and separates refutations from pre-asymptotic deviations. Counterexamples become replayable artifacts
(:func:`write_artifacts`, :func:`replay`) with a plot and a summary paragraph (:func:`report_items`).

Imports: :mod:`boundcheck.empirical` (measurements), :mod:`boundcheck.spec` and :mod:`boundcheck.parse`
(read-only). Nothing here prints.
"""

from ._artifact import (ARTIFACT_FORMAT, ReplayResult, artifact_dict, load_artifact, plot_evaluation, replay,
                        report_items, result_dict, summarize, write_artifacts)
from ._format import (PROPERTIES, QUANTITIES, Component, Conjecture, Param, SearchSpace, SpecTarget,
                      conjecture_from_dict, load_conjecture, loads_conjecture)
from ._measure import VERDICTS, Evaluation, Fit, evaluate, predicted_exponent
from ._scenario import Scenario, draw_scenario
from ._search import STRATEGIES, Runner, SearchProgress, SearchResult, kind_of, search

__all__ = [
    "QUANTITIES", "PROPERTIES", "VERDICTS", "STRATEGIES", "ARTIFACT_FORMAT",
    "Param", "Component", "SearchSpace", "SpecTarget", "Conjecture",
    "load_conjecture", "loads_conjecture", "conjecture_from_dict",
    "Scenario", "draw_scenario", "Fit", "Evaluation", "evaluate", "predicted_exponent",
    "SearchProgress", "SearchResult", "Runner", "search", "kind_of",
    "ReplayResult", "replay", "load_artifact", "artifact_dict", "write_artifacts", "plot_evaluation",
    "summarize", "report_items", "result_dict",
]
