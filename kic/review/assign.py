"""Who reviews which item: round robin or by workload, never one's own cases (pure).

The population's ``medewerker`` field says who entered a payment; that person never reviews it,
and a second reviewer (vier-ogen) is never the first reviewer nor the one who entered it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kic.errors import KicError

METHODS = ("roulerend", "werklast")


class AssignmentError(KicError, ValueError):
    """No allowed reviewer exists for an item; the message is Dutch."""


@dataclass(frozen=True)
class Assignment:
    item_id: int
    reviewer: str
    second_reviewer: str | None


def assign(
    items: Sequence[tuple[int, str | None]],
    reviewers: Sequence[str],
    *,
    method: str = "roulerend",
    second: bool = False,
    workload: Mapping[str, int] | None = None,
) -> list[Assignment]:
    """Assign ``items`` (id, entered_by) in order; ``workload`` is each reviewer's open items so far.

    ``roulerend`` takes the reviewers in turn, skipping whoever entered the item; ``werklast``
    gives each item to the allowed reviewer with the fewest open items (ties by name).
    """
    if method not in METHODS:
        raise AssignmentError(f"onbekende verdeling '{method}'; kies uit {', '.join(METHODS)}")
    names = sorted(dict.fromkeys(r.strip() for r in reviewers if r and r.strip()))
    if not names:
        raise AssignmentError("geen beoordelaars opgegeven")
    load = {name: int((workload or {}).get(name, 0)) for name in names}
    result = []
    for turn, (item_id, entered_by) in enumerate(items):
        first = _pick(names, load, method, turn, {entered_by}, item_id)
        load[first] += 1
        other = None
        if second:
            other = _pick(names, load, method, names.index(first) + 1, {entered_by, first}, item_id)
            load[other] += 1
        result.append(Assignment(item_id, first, other))
    return result


def _pick(
    names: list[str], load: dict[str, int], method: str, turn: int, excluded: set[str | None], item_id: int
) -> str:
    """The reviewer whose turn it is (``turn`` counts items), skipping the excluded; or the least busy."""
    order = [names[(turn + step) % len(names)] for step in range(len(names))]
    allowed = [n for n in order if n not in excluded]
    if not allowed:
        raise AssignmentError(
            f"post {item_id}: geen beoordelaar beschikbaar die de post niet zelf invoerde "
            "of al beoordeelt; voeg een beoordelaar toe"
        )
    if method == "werklast":
        return min(allowed, key=lambda n: load[n])  # ties: whose turn it is (min keeps the first)
    return allowed[0]
