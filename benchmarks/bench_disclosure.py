"""The disclosure engine on the benchmark municipality: 50 units × 19 periods × one breakdown.

Pure Python, no database: builds the linked tables of one measure (every unit and the
municipality, every month, quarter, half-year and the year, 4 genders × 6 age bands with margins,
grand total and the count without a breakdown) from random monthly counts, and times `protect`
against building the cells and relations themselves (the baseline, measured in the same run):
the heuristic alone (`exact=False`, best of RUNS) and the default with its exact pass (one run: it
takes about a minute; it runs as a background task). See docs/privacy.md.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

UNITS = 50
RUNS = 3
GENDERS = ("girls", "boys", "non_binary", "not_stated")
BANDS = ("u13", "13_15", "16_18", "19_24", "25_29", "unknown")
GENDER_SHARE = {"girls": 1.0, "boys": 1.2, "non_binary": 0.03, "not_stated": 0.1}
BAND_SHARE = {"u13": 0.5, "13_15": 1.0, "16_18": 1.0, "19_24": 0.5, "25_29": 0.1, "unknown": 0.05}


def monthly_counts(seed: int = 2024) -> dict:
    rng = random.Random(seed)  # noqa: S311 (benchmark data, not secrets)
    monthly = {}
    for unit in range(UNITS):
        scale = rng.uniform(2, 60)
        for month in range(1, 13):
            counts = {
                (g, b): int(rng.expovariate(1 / (scale * GENDER_SHARE[g] * BAND_SHARE[b])))
                for g in GENDERS
                for b in BANDS
            }
            counts[("without", "without")] = int(rng.expovariate(1 / scale))
            monthly[(f"unit-{unit}", month)] = counts
    return monthly


def best(function, runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def run() -> Iterator[str]:
    from impactlog.tenancy.disclosure import linked_tables, protect

    monthly = monthly_counts()
    children = {"municipality": [f"unit-{unit}" for unit in range(UNITS)]}
    build, (cells, relations) = best(lambda: linked_tables(monthly, children, 2024, GENDERS, BANDS))
    heuristic, rough = best(lambda: protect(cells, relations, 5, exact=False))
    exact, protection = best(lambda: protect(cells, relations, 5), runs=1)
    reasons = list(rough.hidden.values())
    primary = sum(reason == "primary" for reason in reasons)
    added = len(protection.hidden) - len(reasons)
    withheld = sum(reason == "withheld" for reason in protection.hidden.values())
    yield (
        f"disclosure: {len(cells)} cells, {len(relations)} relations, "
        f"{primary} hidden as primary, {len(reasons) - primary} as secondary by the heuristic"
    )
    yield (
        f"disclosure: heuristic {heuristic:.2f}s, building the tables {build:.2f}s "
        f"({heuristic / build:.1f}× the baseline)"
    )
    yield (
        f"disclosure: exact pass {exact:.1f}s in all ({exact / build:.0f}× the baseline, "
        f"{exact / heuristic:.0f}× the heuristic); the repair hid {added} more "
        f"({added / len(reasons):.1%} of the heuristic's), {withheld} read “not shown”, "
        f"narrowed {len(protection.narrowed)}"
    )
