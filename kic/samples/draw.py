"""Draw a sample from a frozen population, store it immutably, and describe it in a manifest.

The same two functions (``sample_population`` and ``select``) serve the draw and the accountant's
re-performance (``kic.samples.verify``), so the two can never drift apart.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib.metadata import version
from typing import Any, cast

import pandas as pd
from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from kic import __version__
from kic.audit import record
from kic.controls.errors import ExpressionError
from kic.controls.expressions import DOSSIER_PREFIX, Context, evaluate_condition, parse
from kic.controls.frame import money_columns
from kic.controls.models import ControlRun
from kic.controls.run import load_findings
from kic.db.locks import exclusive
from kic.errors import KicError
from kic.gemeenten import known_codes
from kic.periods import Period
from kic.plan.population import dossiers_frame, payments_frame
from kic.population.frames import load_dossiers_for, load_payments
from kic.population.models import PopulationSnapshot
from kic.population.parse import cents_to_decimal
from kic.risk import RiskModelFile, hit_counts, load_risk_model, risk_weights
from kic.samples.models import BESCHIKKING, BETALING, UNITS, Sample, SampleItem
from kic.sampling import Selection, select_items, select_mus, select_risk_weighted
from kic.sampling.rng import item_keys64
from kic.sampling.selection import ItemMethod, MusMethod, Order
from kic.vocabulary import SELECTIONS, Purpose

MANIFEST_VERSION = 1
METHODS: dict[str, tuple[str, ...]] = {str(m): s for m, s in SELECTIONS.items()}
# Per unit (what one item is): the dates that can put an item in a period, the frame column of its key
# and the name of that key in the manifest and the export (the import header).
DATE_COLUMNS: dict[str, dict[str, str]] = {
    BETALING: {"periode_van": "period_from", "periode_tot": "period_to", "betaaldatum": "payment_date"},
    BESCHIKKING: {
        "besluitdatum": "decision_date",
        "aanvraagdatum": "application_date",
        "ingangsdatum": "start_date",
        "einddatum": "end_date",
    },
}
KEY_COLUMN: dict[str, str] = {BETALING: "payment_id", BESCHIKKING: "beschikking_nr"}
KEY_FIELD: dict[str, str] = {BETALING: "betaling_id", BESCHIKKING: "beschikkingsnummer"}
KEY, AMOUNT = "key", "amount_cents"  # every population frame carries its items' key and book value (cents)
RISK_WEIGHT, HITS = "risk_weight", "controletreffers"
PURPOSES = tuple(p.value for p in Purpose)
# The canonical order before an interval or systematic draw, and the recipe of each item's own number:
# mix (since 2026-12): SplitMix64 of the item key SHA-256("id:<id>") XOR SHA-256("<seed>:volgorde");
# hash (manifests of 2026-11/12): SHA-256("<seed>:id:<id>"); id (older manifests): sorted by id.
ORDERS = ("mix", "hash", "id")
ITEM_KEY = "item_key"  # the seed-independent key of each item (uint64), computed once per population
RNG_RECIPE = (
    'u = (eerste 8 bytes van SHA-256("{seed}:{sleutel}") als geheel getal >> 11) / 2**53; '
    'eigen getal van een post bij volgorde mix: splitmix64(k XOR s) >> 11 met k = SHA-256("id:{id}") '
    'en s = SHA-256("{seed}:volgorde"), elk de eerste 8 bytes; zie docs/methodology.md §7.1'
)


class SampleError(KicError, ValueError):
    """A sample cannot be drawn or verified; the message is Dutch."""


class AlreadyDrawn(SampleError):
    """The period already has a current sample of this kind (a redraw needs a reason)."""

    exit_code = 4  # like AlreadyImported: "already there" is not a failure for a nightly script


class EmptyPopulation(SampleError):
    """The delimited population has no payments (nothing to draw from)."""


@dataclass(frozen=True)
class SampleSpec:
    """What to draw: which part of the population, how, and how many."""

    regeling: str
    period: Period
    n: int
    method: str = "mus"  # mus | items
    selection_method: str = "interval"
    purpose: str = "statistisch"
    part: str | None = None  # the controleplan line this sample is drawn for
    filter: str | None = None  # the plan's population filter (safe expression over the control frame)
    date_column: str = "periode_van"  # which date puts an item in the period
    unit: str = (
        BETALING  # betaling, or beschikking for a plan line over beschikkingen (attribute samples only)
    )
    two_stage: bool = (
        False  # declared before the draw: may be extended once; evaluated at half the risk per stage
    )
    order: str = "mix"  # see ORDERS; "hash" and "id" only to re-perform older manifests
    gemeente: str | None = None  # draw from this gemeente's items only (CBS code); None: every gemeente

    @property
    def needs_dossiers(self) -> bool:
        """Whether the filter reads the linked beschikking (then verify needs that export too)."""
        if self.unit == BESCHIKKING:
            return True
        return bool(self.filter) and any(n.startswith(DOSSIER_PREFIX) for n in parse(self.filter or "").names)

    def check(self) -> None:
        if self.unit not in UNITS:
            raise SampleError(f"eenheid moet {' of '.join(UNITS)} zijn")
        if self.unit == BESCHIKKING and self.method != "items":
            raise SampleError(
                "een steekproef uit beschikkingen is een attribuutsteekproef (methode items): "
                "MUS en risicoweging wegen naar het bedrag van een betaling"
            )
        if self.method not in METHODS or self.selection_method not in METHODS[self.method]:
            raise SampleError(
                f"onbekende methode {self.method}/{self.selection_method}; kies uit "
                + ", ".join(f"{m}/{s}" for m, opts in METHODS.items() for s in opts)
            )
        if self.purpose not in PURPOSES:
            raise SampleError(f"doel moet {' of '.join(PURPOSES)} zijn")
        if self.n < 1:
            raise SampleError("de steekproefomvang moet minstens 1 zijn")
        if self.date_column not in DATE_COLUMNS[self.unit]:
            raise SampleError(f"datumkolom moet een van {', '.join(DATE_COLUMNS[self.unit])} zijn")
        if self.order not in ORDERS:
            raise SampleError(f"volgorde moet {' of '.join(ORDERS)} zijn")
        if self.two_stage and (self.purpose != "statistisch" or self.method == "risico"):
            raise SampleError(
                "alleen een statistische MUS- of postensteekproef kan als tweetrapssteekproef "
                "(uit te breiden) worden getrokken"
            )


def new_seed() -> str:
    """A fresh seed for a draw when the user gives none: 12 random digits from the operating system (the
    seed is recorded with the sample, so the draw can be re-performed; it need not be secret, only unbiased)."""
    return str(secrets.randbelow(10**12))


def sample_population(
    payments: pd.DataFrame | None, spec: SampleSpec, dossiers: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The items of the regeling whose date lies in the review period (and that pass the plan's
    filter), ordered by key, with their ``key`` and book value ``amount_cents`` (a beschikking's
    bedrag per periode). ``payments`` and ``dossiers``: raw rows as ``kic.population.frames`` reads them;
    the beschikkingen are needed for a sample of beschikkingen and when a filter reads them."""
    if spec.needs_dossiers and dossiers is None:
        what = (
            "de steekproef is er een uit beschikkingen"
            if spec.unit == BESCHIKKING
            else f"het filter '{spec.filter}' leest de beschikking"
        )
        raise SampleError(f"{what}: geef ook de beschikkingen")
    source = dossiers if spec.unit == BESCHIKKING else payments
    assert source is not None
    start, end = pd.Timestamp(spec.period.start), pd.Timestamp(spec.period.end)
    dates = source[DATE_COLUMNS[spec.unit][spec.date_column]]
    mask = (source["regeling"] == spec.regeling) & dates.between(start, end)
    if spec.gemeente is not None:
        mask &= (source["gemeente"] == spec.gemeente).fillna(False)
    rows = source.loc[mask].sort_values(KEY_COLUMN[spec.unit]).reset_index(drop=True)
    rows[KEY] = rows[KEY_COLUMN[spec.unit]]
    if spec.unit == BESCHIKKING:
        rows[AMOUNT] = rows["amount_per_period"].astype("Int64").fillna(0).astype("int64")
    if not spec.filter:
        return rows
    frame = dossiers_frame(rows) if spec.unit == BESCHIKKING else payments_frame(rows, dossiers)
    try:
        keep = evaluate_condition(parse(spec.filter), Context.of_frame(frame, money_columns()))
    except ExpressionError as exc:
        raise SampleError(f"filter '{spec.filter}': {exc}") from None
    return rows.loc[keep.fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)


def population_hash(population: pd.DataFrame) -> str:
    """SHA-256 over ``sleutel;bedrag_in_centen`` lines in key order: the population's fingerprint."""
    lines = population[KEY].astype(str) + ";" + population[AMOUNT].astype("int64").astype(str)
    return hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()


def select(population: pd.DataFrame, spec: SampleSpec, seed: str) -> Selection:
    """Run the selection the spec asks for; negatives and zeros are reported, never silently dropped."""
    order = cast("Order", spec.order)  # SampleSpec.check() keeps order and selection method to the known ones
    keys = population[ITEM_KEY].to_numpy() if order == "mix" and ITEM_KEY in population else None
    if spec.method == "mus":
        return select_mus(
            population[KEY],
            population[AMOUNT].astype("int64"),
            seed=seed,
            n=spec.n,
            method=cast("MusMethod", spec.selection_method),
            negatives="exclude",
            order=order,
            keys=keys,
        )
    if spec.method == "risico":
        return select_risk_weighted(
            population[KEY],
            population[AMOUNT].astype("int64"),
            population[RISK_WEIGHT],
            n=spec.n,
            seed=seed,
            negatives="exclude",
            replace=spec.selection_method == "met_teruglegging",
            order=order,
            keys=keys,
        )
    return select_items(
        population[KEY],
        n=spec.n,
        seed=seed,
        method=cast("ItemMethod", spec.selection_method),
        order=order,
        keys=keys,
    )


def weigh(
    population: pd.DataFrame, dossiers: pd.DataFrame | None, model: RiskModelFile, hits: pd.Series
) -> pd.DataFrame:
    """The population with each payment's risk weight (``hits``: automated-control hits per betaling_id)."""
    frame = payments_frame(population, dossiers)
    weighted = population.copy()
    weighted[RISK_WEIGHT] = risk_weights(model, frame, hits).weights.to_numpy()
    weighted[HITS] = population[KEY].map(hits).fillna(0).astype("int64").to_numpy()
    return weighted


class PopulationCache:
    """The active payments per regeling and the beschikkingen, each read from the database once.

    Drawing a whole plan takes many samples from the same regeling (weekly lines: 13 a quarter);
    reading a million payments once instead of per sample is most of the time saved. Each frame
    carries its items' keys (``ITEM_KEY``, SHA-256 of the id), so a draw only mixes in its seed.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._payments: dict[str, pd.DataFrame] = {}
        self._dossiers: pd.DataFrame | None = None

    def payments(self, regeling: str) -> pd.DataFrame:
        if regeling not in self._payments:
            self._payments[regeling] = with_item_keys(load_payments(self._session, regeling), BETALING)
        return self._payments[regeling]

    def dossiers(self) -> pd.DataFrame:
        if self._dossiers is None:
            # no item keys here: the beschikkingen are also joined to payments (their keys are computed
            # when a sample of beschikkingen is drawn, a population far smaller than the payments)
            self._dossiers = load_dossiers_for(self._session, None)
        return self._dossiers


def with_item_keys(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The frame with each item's seed-independent key (``rng.item_keys64`` of its id) beside it."""
    frame[ITEM_KEY] = item_keys64(frame[KEY_COLUMN[unit]].astype(str).tolist())
    return frame


def draw_sample(
    session: Session,
    spec: SampleSpec,
    *,
    seed: str,
    actor: str,
    redraw_reason: str | None = None,
    plan: dict[str, Any] | None = None,
    populations: PopulationCache | None = None,
) -> Sample:
    """Draw and store a sample; a second draw for the same period needs a reason (audit trail)."""
    populations = populations or PopulationCache(session)
    spec.check()
    exclusive(session, "trekking")  # a second draw started now waits, then sees this one's sample
    previous = _current_sample(session, spec)
    if previous and not redraw_reason:
        what = f"onderdeel {spec.part}" if spec.part else spec.regeling
        raise AlreadyDrawn(
            f"voor {what} {spec.period.label} is al steekproef {previous.id} getrokken; "
            "trek opnieuw met --opnieuw en een reden"
        )
    risky = spec.method == "risico"
    dossiers = populations.dossiers() if spec.needs_dossiers or risky else None
    payments = None if spec.unit == BESCHIKKING else populations.payments(spec.regeling)
    population = sample_population(payments, spec, dossiers)
    if population.empty:
        raise EmptyPopulation(
            f"geen {spec.unit}en van {spec.regeling} in {spec.period.label}"
            + (" die aan het filter voldoen" if spec.filter else "")
        )
    model = load_risk_model() if risky else None
    if model is not None:
        population = weigh(population, dossiers, model, latest_hits(session))
    snapshot = _single_snapshot(session, population)
    selection = select(population, spec, seed)
    manifest = build_manifest(spec, seed, snapshot, population, selection, actor, model)
    sample = _store(
        session, spec, seed, snapshot, population, selection, manifest, actor, previous, redraw_reason, plan
    )
    record(
        session,
        actor=actor,
        action="steekproef.trekken",
        object_type="sample",
        object_id=sample.id,
        after={
            "regeling": spec.regeling,
            "periode": spec.period.label,
            "posten": sample.item_count,
            "manifest_sha256": sample.manifest_sha256,
        },
        note=redraw_reason,
    )
    return sample


def extend_sample(
    session: Session,
    sample_id: int,
    n: int,
    *,
    seed: str,
    actor: str,
    reason: str,
    populations: PopulationCache | None = None,
) -> Sample:
    """Draw ``n`` more items for a two-stage sample (after errors were found): a new sample linked to it.

    Only a sample declared two-stage before its draw (``SampleSpec.two_stage``) may be extended, once:
    each stage is then evaluated at half the risk, so the risk of wrongly accepting over both looks
    stays at the nominal risk whatever made the auditor extend. The extension has its own seed and
    manifest and is drawn as the original was (same population, filter, method, order), from the
    items not drawn before; the population must still be the frozen one the original came from
    (same content hash). ``kic evaluate`` evaluates the original with its extension as one sample
    (docs/methodology.md §9.2).
    """
    base = session.get(Sample, sample_id)
    if base is None:
        raise SampleError(f"steekproef {sample_id} bestaat niet")
    if base.extends_id is not None:
        raise SampleError(
            f"steekproef {sample_id} is zelf een uitbreiding; breid steekproef {base.extends_id} uit"
        )
    if not reason.strip():
        raise SampleError("geef de reden van de uitbreiding (bijvoorbeeld de gevonden fouten)")
    if base.risk_model:
        raise SampleError("een risicogewogen steekproef wordt niet uitgebreid: trek een nieuwe steekproef")
    spec = replace(spec_of(base.manifest["steekproef"]), n=n)
    if not spec.two_stage:
        raise SampleError(
            f"steekproef {sample_id} is niet als tweetrapssteekproef getrokken: een uitbreiding die pas "
            "na het zien van de fouten wordt besloten, verhoogt het risico op een onterecht "
            "goedkeurend oordeel. Trek een steekproef die u wilt kunnen uitbreiden met --tweetraps "
            "(of 'uitbreidbaar: ja' in het controleplan)"
        )
    extensions = session.scalars(sql_select(Sample).where(Sample.extends_id == base.id)).all()
    if extensions:
        raise SampleError(
            f"steekproef {sample_id} is al uitgebreid (steekproef {extensions[0].id}); een "
            "tweetrapssteekproef heeft één uitbreiding"
        )
    spec.check()
    populations = populations or PopulationCache(session)
    payments = None if spec.unit == BESCHIKKING else populations.payments(spec.regeling)
    population = sample_population(payments, spec, populations.dossiers() if spec.needs_dossiers else None)
    if population_hash(population) != base.population_sha256:
        raise SampleError(
            f"de populatie van steekproef {sample_id} is sinds de trekking veranderd (nieuwe import); "
            "een uitbreiding moet uit dezelfde bevroren populatie komen"
        )
    drawn = sorted(session.scalars(sql_select(SampleItem.item_key).where(SampleItem.sample_id == base.id)))
    remaining = population.loc[~population[KEY].isin(drawn)].reset_index(drop=True)
    if len(remaining) < n:
        raise SampleError(
            f"er zijn nog {len(remaining)} posten over in de populatie; vraag er hooguit zoveel"
        )
    snapshot = _single_snapshot(session, population)
    selection = select(remaining, spec, seed)
    manifest = build_manifest(spec, seed, snapshot, population, selection, actor) | {
        "uitbreiding": {"van_steekproef": base.id, "eerder_getrokken": drawn}
    }
    sample = _store(
        session,
        spec,
        seed,
        snapshot,
        population,
        selection,
        manifest,
        actor,
        None,
        reason,
        base.plan,
        extends=base,
    )
    record(
        session,
        actor=actor,
        action="steekproef.uitbreiden",
        object_type="sample",
        object_id=sample.id,
        after={
            "uitbreiding_van": base.id,
            "posten": sample.item_count,
            "manifest_sha256": sample.manifest_sha256,
        },
        note=reason,
    )
    return sample


def spec_of(facts: dict[str, Any]) -> SampleSpec:
    """The spec of a stored sample, from the ``steekproef`` part of its manifest."""
    period = Period(
        facts["periode"], date.fromisoformat(facts["van"]), date.fromisoformat(facts["tot_en_met"])
    )
    return SampleSpec(
        regeling=facts["regeling"],
        period=period,
        n=int(facts["n"]),
        method=facts["methode"],
        selection_method=facts["selectiemethode"],
        purpose=facts["doel"],
        part=facts.get("onderdeel"),
        filter=facts.get("filter"),
        date_column=facts.get("datumkolom", "periode_van"),
        unit=facts.get("eenheid", BETALING),
        two_stage=bool(facts.get("tweetraps", False)),
        order=facts.get("volgorde", "id"),
        gemeente=facts.get("gemeente"),
    )


def sample_gemeente(session: Session, spec: SampleSpec) -> str | None:
    """The gemeente a sample belongs to: the one it was drawn for, or, in an installation that knows a single
    gemeente, that gemeente (her whole population is hers); None: a sample over several gemeenten (or an
    installation that knows none yet). The manifest keeps what the draw was asked (``spec.gemeente``)."""
    if spec.gemeente is not None:
        return spec.gemeente
    known = known_codes(session)
    return known[0] if len(known) == 1 else None


def _current_sample(session: Session, spec: SampleSpec) -> Sample | None:
    owner = sample_gemeente(session, spec)
    samples = session.scalars(
        sql_select(Sample).where(
            Sample.regeling == spec.regeling,
            Sample.period_label == spec.period.label,
            Sample.purpose == spec.purpose,
            Sample.unit == spec.unit,
            Sample.extends_id.is_(None),
            Sample.plan_part.is_(None) if spec.part is None else Sample.plan_part == spec.part,
            # a draw for the whole installation replaces one made before its gemeente was registered too
            Sample.gemeente.is_(None) | (Sample.gemeente == owner)
            if spec.gemeente is None
            else Sample.gemeente == owner,
        )
    ).all()
    replaced = {s.replaces_id for s in samples}
    current = [s for s in samples if s.id not in replaced]
    return max(current, key=lambda s: s.id) if current else None


def _single_snapshot(session: Session, population: pd.DataFrame) -> PopulationSnapshot:
    ids = sorted(population["snapshot_id"].unique().tolist())
    if len(ids) != 1:
        raise SampleError(
            f"de posten van deze periode komen uit meerdere imports ({ids}); "
            "een steekproef moet uit één bevroren populatie komen: lever de periode in één bestand aan, of, "
            "in een samenwerkingsverband met een bestand per gemeente, trek het onderdeel per gemeente "
            "(gemeenten: per_gemeente in het controleplan)"
        )
    return session.get(PopulationSnapshot, int(ids[0]))  # type: ignore[return-value]


def latest_hits(session: Session) -> pd.Series:
    """Automated-control hits (fouten) per betaling_id from the latest control run (empty: none run)."""
    run_id = session.scalar(sql_select(func.max(ControlRun.id)))
    if run_id is None:
        return pd.Series(dtype="int64")
    return hit_counts(load_findings(session, int(run_id)))


def build_manifest(
    spec: SampleSpec,
    seed: str,
    snapshot: PopulationSnapshot,
    population: pd.DataFrame,
    selection: Selection,
    actor: str,
    model: RiskModelFile | None = None,
) -> dict[str, Any]:
    """Everything an accountant needs to re-perform the selection from the export alone."""
    amounts = population.set_index(KEY)[AMOUNT]
    measure = size_measure(spec, population, selection)
    items = [
        _item(i, key, KEY_FIELD[spec.unit], selection, amounts, measure)
        for i, key in enumerate((*selection.ids, *selection.key_ids))
    ]
    return _risk_part(population, model) | {
        "kic_manifest": MANIFEST_VERSION,
        "kic_versie": __version__,
        "getrokken_op": datetime.now(UTC).isoformat(timespec="seconds"),
        "getrokken_door": actor,
        "steekproef": {
            "regeling": spec.regeling,
            "periode": spec.period.label,
            "van": spec.period.start.isoformat(),
            "tot_en_met": spec.period.end.isoformat(),
            "doel": spec.purpose,
            "methode": spec.method,
            "selectiemethode": spec.selection_method,
            "n": spec.n,
            "seed": seed,
            "onderdeel": spec.part,
            "filter": spec.filter,
            "datumkolom": spec.date_column,
            "eenheid": spec.unit,
            "volgorde": spec.order,
            "tweetraps": spec.two_stage,
            "gemeente": spec.gemeente,
        },
        "populatie": {
            "bestand": snapshot.source_name,
            "bestand_sha256": snapshot.sha256,
            "populatie_id": snapshot.id,
            "afbakening": f"{spec.unit}en: regeling gelijk aan de steekproef en {spec.date_column} "
            "binnen de periode"
            + (f" en gemeente {spec.gemeente}" if spec.gemeente else "")
            + (f" en filter: {spec.filter}" if spec.filter else ""),
            "aantal": len(population),
            "totaal": str(cents_to_decimal(int(amounts.sum()))),
            "inhoud_sha256": population_hash(population),
        },
        "toevalsgetallen": RNG_RECIPE,
        "selectie": _selection_facts(selection) | _measure_facts(measure),
        "posten": items,
        "uitgesloten": {"nul": list(selection.zero_ids), "negatief": list(selection.negative_ids)},
        "bibliotheken": {
            "python": platform.python_version(),
            **{name: version(name) for name in ("numpy", "pandas", "scipy")},
        },
    }


def _risk_part(population: pd.DataFrame, model: RiskModelFile | None) -> dict[str, Any]:
    """For a risk-weighted draw: the model and the control hits its weights used, to re-perform it."""
    if model is None:
        return {}
    hits = population.loc[population[HITS] > 0, [KEY, HITS]]
    return {
        "risicomodel": {"versie": model.version, "inhoud_sha256": model.content_hash},
        "controletreffers": {str(p): int(h) for p, h in zip(hits[KEY], hits[HITS], strict=True)},
    }


def _item(
    position: int,
    key: str,
    key_field: str,
    selection: Selection,
    amounts: pd.Series,
    measure: SizeMeasure | None,
) -> dict[str, Any]:
    sampled = position < len(selection.ids)
    probabilities = selection.inclusion_probabilities
    return {
        "positie": position + 1,
        key_field: key,
        "bedrag": str(cents_to_decimal(int(amounts[key]))),
        "treffers": selection.hits[position] if sampled else 1,
        "insluitkans": (probabilities[position] if probabilities and sampled else (None if sampled else 1.0)),
        "sleutelpost": not sampled,
        "stratum": "steekproef" if sampled else "sleutelposten",
    } | (
        {"omvangsmaat": str(cents_to_decimal(measure.sizes[key]))} if measure is not None and sampled else {}
    )


@dataclass(frozen=True)
class SizeMeasure:
    """What a sample of payments is drawn proportional to, per item and in total (cents, rounded up).

    Every statistical sample of payments is evaluated as a monetary-unit sample on this measure
    c ≥ |book value| (docs/methodology.md §9.2): MUS on the amount itself; an item sample (equal
    chances) on the largest amount of the population; a risk-weighted sample on amount × weight /
    smallest weight. The total M is the measure of the sampled (non-key) part of the population.
    """

    kind: str
    total: int
    sizes: dict[str, int]


MEASURE_LABELS = {
    "mus": "bedrag",
    "items": "grootste bedrag van de populatie (gelijke kansen)",
    "risico": "bedrag × risicogewicht / kleinste risicogewicht",
}


def size_measure(spec: SampleSpec, population: pd.DataFrame, selection: Selection) -> SizeMeasure | None:
    """The size measure of a sample of payments (None for beschikkingen: evaluated in numbers only)."""
    if spec.unit != BETALING or not selection.ids:
        return None
    amounts = population.set_index(KEY)[AMOUNT].astype("int64")
    if spec.method == "mus":
        return SizeMeasure(
            spec.method, int(selection.sampled_total or 0), {k: int(amounts[k]) for k in selection.ids}
        )
    if spec.method == "items":
        largest = int(amounts.abs().max())
        return SizeMeasure(spec.method, largest * len(population), dict.fromkeys(selection.ids, largest))
    weights = population.set_index(KEY)[RISK_WEIGHT]
    total = float(selection.max_draw_estimate or 0.0)
    smallest = float(selection.sampled_total or 0.0) / total  # M = X / smallest weight of the sampled part
    return SizeMeasure(
        spec.method,
        math.ceil(total),
        {k: math.ceil(round(int(amounts[k]) * float(weights[k]) / smallest, 6)) for k in selection.ids},
    )


def _measure_facts(measure: SizeMeasure | None) -> dict[str, Any]:
    if measure is None:
        return {}
    return {
        "omvangsmaat": {"soort": MEASURE_LABELS[measure.kind], "totaal": str(cents_to_decimal(measure.total))}
    }


def _selection_facts(selection: Selection) -> dict[str, Any]:
    return {
        "methode": selection.method,
        "parameters": {k: _jsonable(v) for k, v in selection.parameters.items()},
        "interval": _jsonable(selection.interval),
        "start": _jsonable(selection.start),
        "trekkingen": selection.draws,
        "volgorde": selection.order,
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def manifest_sha256(manifest: dict[str, Any]) -> str:
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _store(
    session: Session,
    spec: SampleSpec,
    seed: str,
    snapshot: PopulationSnapshot,
    population: pd.DataFrame,
    selection: Selection,
    manifest: dict[str, Any],
    actor: str,
    previous: Sample | None,
    reason: str | None,
    plan: dict[str, Any] | None,
    extends: Sample | None = None,
) -> Sample:
    sample = Sample(
        regeling=spec.regeling,
        period_label=spec.period.label,
        period_start=spec.period.start,
        period_end=spec.period.end,
        purpose=spec.purpose,
        method=f"{spec.method}/{spec.selection_method}",
        parameters={"n": spec.n, "filter": spec.filter},
        seed=seed,
        snapshot_id=snapshot.id,
        population_sha256=manifest["populatie"]["inhoud_sha256"],
        population_count=len(population),
        population_total=Decimal(manifest["populatie"]["totaal"]),
        item_count=len(manifest["posten"]),
        manifest=manifest,
        manifest_sha256=manifest_sha256(manifest),
        created_at=datetime.now(UTC),
        created_by=actor,
        replaces_id=previous.id if previous else None,
        reason=reason,
        plan_part=spec.part,
        extends_id=extends.id if extends else None,
        plan=plan,
        risk_model=manifest.get("risicomodel"),
        unit=spec.unit,
        gemeente=sample_gemeente(session, spec),
    )
    session.add(sample)
    session.flush()
    rows, field = population.set_index(KEY)["id"], KEY_FIELD[spec.unit]
    row_column = "dossier_row_id" if spec.unit == BESCHIKKING else "payment_row_id"
    session.add_all(
        SampleItem(
            sample_id=sample.id,
            position=item["positie"],
            **{row_column: int(rows[item[field]])},
            item_key=item[field],
            stratum=item["stratum"],
            key_item=item["sleutelpost"],
            hits=item["treffers"],
            inclusion_probability=item["insluitkans"],
            book_value=Decimal(item["bedrag"]),
        )
        for item in manifest["posten"]
    )
    session.flush()
    return sample
