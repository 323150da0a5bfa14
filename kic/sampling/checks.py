"""Input checks of kic.sampling: a question without a valid answer gets a Dutch error, never a number.

Pure functions without I/O. Each raises :class:`SamplingError` with a Dutch message that names the
field and the value given, and returns the value in the form the computation uses (a count as an
int, a fraction as a float). planning, distributions, audit_risk and evaluation call them at their
public entry points; ``kic stats`` calls them for what it combines itself (a materiality typed as a
fraction or as euros, the inputs of an evaluation).

The rules:

* every number is finite: NaN and plus or minus infinity are refused everywhere;
* counts (n, N, errors found, allowed errors, virtual items) are whole numbers; True and False are
  not counts, 12.5 is refused, 100.0 is taken as 100;
* a fraction (confidence, materiality, tolerable rate) lies strictly between 0 and 1;
* the population size N is used by the hypergeometric model only: it is required there (N >= n)
  and refused with the binomial and Poisson models, which would silently ignore it;
* no more errors than items: deviations <= n, taints <= n, a sum of taints <= n;
* money: a book value is at least EUR 1; next to a book value the materiality is an amount of at
  least EUR 1 (below 1 it was probably meant as a fraction); expected errors and errors in key
  items (sleutelposten) are not negative.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

from kic.sampling.results import SamplingError

LIKELIHOODS = ("poisson", "binomial", "hypergeometric")
HYPER_NEEDS_N = "de populatieomvang is nodig voor de hypergeometrische verdeling"
# Relative slack for a sum of taints against n: float sums of taints of exactly 1 may overshoot n.
_SUM_SLACK = 1e-9

# Field names as the messages print them.
CONFIDENCE = "de betrouwbaarheid"
MATERIALITY = "de materialiteit"
TOLERABLE_RATE = "het toelaatbare afwijkingspercentage"
EXPECTED = "de verwachte fouten"
EXPECTED_RATE = "het verwachte afwijkingspercentage"
EXPECTED_MISSTATEMENT = "de verwachte fout"
SAMPLE_SIZE = "de steekproefomvang (n)"
POPULATION_SIZE = "de populatieomvang (N)"
BOOK_VALUE = "de boekwaarde van de populatie"
DEVIATIONS = "het aantal afwijkingen"
ERRORS = "het aantal fouten"
TAINTS = "de tainten"
KEY_ITEM_ERRORS = "de fouten in sleutelposten (integraal gecontroleerde posten)"
ALLOWED = "het toegestane aantal fouten in de steekproef"
TOLERABLE_COUNT = "het toelaatbare aantal fouten in de populatie"
EXPECTED_COUNT = "het verwachte aantal afwijkingen in de populatie"
MAX_N = "de grootste steekproefomvang (max_n)"
GRID_POINTS = "het aantal rasterpunten"
VIRTUAL_ITEMS = "het aantal virtuele foutloze posten"
BOOK_VALUES = "de boekwaarden"
AUDIT_VALUES = "de controlewaarden"
HITS = "het aantal treffers per post (times)"
_PLURAL = {EXPECTED, TAINTS, KEY_ITEM_ERRORS, BOOK_VALUES, AUDIT_VALUES}


def show(value: object) -> str:
    """A value as a Dutch reader expects it in a message: 12,5, NaN, oneindig, True."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if not isinstance(value, (numbers.Real, Decimal)):
        return repr(value)
    try:
        number = float(value)
    except (ValueError, OverflowError):
        number = math.nan
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "oneindig" if number > 0 else "min oneindig"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    text = str(value) if isinstance(value, Decimal) else repr(number)
    return text.replace(".", ",")


def _euro(amount: float | Decimal) -> str:
    """'€ 1.234,56' without a locale library (messages only)."""
    text = f"{float(amount):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ {text}"


def _must(field: str) -> str:
    return "moeten" if field in _PLURAL else "moet"


def _can(field: str) -> str:
    return "kunnen" if field in _PLURAL else "kan"


@contextmanager
def about(prefix: str) -> Iterator[None]:
    """Prefix the message of every check inside, e.g. with the stratum it is about."""
    try:
        yield
    except SamplingError as exc:
        raise SamplingError(f"{prefix}: {exc}") from None


# --- single values --------------------------------------------------------------------------------


def finite(value: object, field: str) -> float:
    """A finite real number as a float; NaN, infinity, True/False and non-numbers are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, Decimal)):
        raise SamplingError(f"{field} {_must(field)} een getal zijn (niet {show(value)})")
    try:
        number = float(value)
    except (ValueError, OverflowError, InvalidOperation):
        number = math.nan
    if not math.isfinite(number):
        raise SamplingError(f"{field} {_must(field)} een eindig getal zijn (niet {show(value)})")
    return number


def whole(value: object, field: str, minimum: int = 0) -> int:
    """A whole number of at least ``minimum``: 12.5 and True/False are refused, 100.0 is 100."""
    if isinstance(value, (bool, np.bool_)):
        raise SamplingError(
            f"{field} {_must(field)} een geheel getal zijn, geen waarheidswaarde ({show(value)})"
        )
    number = finite(value, field)
    exact = value == value.to_integral_value() if isinstance(value, Decimal) else number.is_integer()
    if not exact:
        raise SamplingError(f"{field} {_must(field)} een geheel getal zijn (niet {show(value)})")
    count = int(value) if isinstance(value, (numbers.Integral, Decimal)) else int(number)
    if count < minimum:
        if minimum == 0:
            raise SamplingError(f"{field} {_can(field)} niet negatief zijn (niet {show(value)})")
        raise SamplingError(f"{field} {_must(field)} minstens {minimum} zijn (niet {show(value)})")
    return count


def whole_counts(values: object, field: str) -> np.ndarray:
    """An array of whole numbers (12.5, NaN and True/False refused) as int64, in the shape given."""
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "O":
        return np.vectorize(lambda v: whole(v, field, minimum=-(2**62)), otypes=[np.int64])(array)
    if array.dtype.kind == "f":
        bad = ~(np.isfinite(array) & (array == np.floor(array)))
    else:
        bad = np.ones(array.shape, dtype=bool)
    if bad.any():
        value = array.flat[int(np.flatnonzero(bad.ravel())[0])]
        raise SamplingError(f"{field} {_must(field)} een geheel getal zijn (niet {show(value)})")
    return array.astype(np.int64)


def non_negative(value: object, field: str) -> float:
    """A finite number of at least 0."""
    number = finite(value, field)
    if number < 0:
        raise SamplingError(f"{field} {_can(field)} niet negatief zijn (niet {show(value)})")
    return number


def fraction(value: object, field: str) -> float:
    """A finite number strictly between 0 and 1 (a confidence, materiality or tolerable rate)."""
    number = finite(value, field)
    if not 0.0 < number < 1.0:
        raise SamplingError(f"{field} {_must(field)} tussen 0 en 1 liggen (niet {show(value)})")
    return number


def check_confidence(confidence: object) -> float:
    """The confidence level (1 - risk), strictly between 0 and 1."""
    return fraction(confidence, CONFIDENCE)


def check_sample_size(n: object) -> int:
    """The sample size n: a whole number of at least 1."""
    return whole(n, SAMPLE_SIZE, minimum=1)


def check_likelihood(
    likelihood: object, allowed: Sequence[str] = LIKELIHOODS, purpose: str | None = None
) -> str:
    """One of ``allowed``; ``purpose`` names what cannot use the others (a known model refused there)."""
    if likelihood not in allowed:
        if purpose is not None and likelihood in LIKELIHOODS:
            raise SamplingError(f"{purpose} kan alleen met {' of '.join(allowed)} (niet {likelihood})")
        raise SamplingError(f"onbekend kansmodel {likelihood!r}; kies uit {', '.join(allowed)}")
    return str(likelihood)


def check_population_size(population_size: object, likelihood: str, n: int | None = None) -> int | None:
    """N for the hypergeometric model (required there, at least n); the other models refuse it.

    The binomial and Poisson models do not depend on N: a population size given with them would
    be ignored without a word, so it is an error (the user may believe a finite-population
    correction was applied).
    """
    if likelihood != "hypergeometric":
        if population_size is not None:
            raise SamplingError(
                f"alleen het hypergeometrische kansmodel gebruikt de populatieomvang (N = {show(population_size)}); "
                f"bij {likelihood} wordt zij genegeerd: laat de populatieomvang weg of kies hypergeometric"
            )
        return None
    if population_size is None:
        raise SamplingError(HYPER_NEEDS_N)
    size = whole(population_size, POPULATION_SIZE, minimum=1)
    if n is not None and n > size:
        raise SamplingError(f"de steekproefomvang {n} is groter dan de populatieomvang {size}")
    return size


def check_errors(errors: object, n: int, field: str = ERRORS, *, count: bool = False) -> float:
    """Errors in a sample of n: not negative and not more than n.

    ``count``: a whole number of errors; otherwise a sum of taints, allowed a rounding slack over n.
    """
    value = whole(errors, field) if count else non_negative(errors, field)
    if value > (n if count else n * (1 + _SUM_SLACK)):
        raise SamplingError(
            f"{field} ({show(errors)}) is groter dan de steekproefomvang (n = {n}): "
            "er kunnen niet meer fouten zijn dan posten"
        )
    return value


def check_taints(taints: object, n: int) -> np.ndarray:
    """The taints of at most n sampled items (zeros may be left out): finite numbers."""
    try:
        values = np.atleast_1d(np.asarray(taints, dtype=float))
    except (TypeError, ValueError):
        raise SamplingError(f"{TAINTS} moeten getallen zijn (niet {taints!r})") from None
    if values.ndim != 1:
        raise SamplingError(f"{TAINTS} moeten één rij getallen zijn")
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise SamplingError(
            f"{TAINTS} moeten eindige getallen zijn (taint {bad[0] + 1}: {show(values[bad[0]])})"
        )
    if values.size > n:
        raise SamplingError(
            f"{TAINTS}: {values.size} opgegeven, meer dan de steekproefomvang (n = {n}); "
            "er kunnen niet meer tainten (fouten) zijn dan posten"
        )
    return values


def check_key_item_errors(value: object) -> float:
    """Errors in key items (sleutelposten, tested 100 %), in euros: a finite amount of at least 0."""
    return non_negative(value, KEY_ITEM_ERRORS)


def check_book_value(value: object, field: str = BOOK_VALUE) -> float:
    """The book value of a population sampled in euros: at least EUR 1."""
    number = finite(value, field)
    if number < 1:
        raise SamplingError(f"{field} moet minstens € 1 zijn (niet {show(value)})")
    return number


def check_materiality_amount(amount: object, book_value: object, *, below_book_value: bool = False) -> float:
    """A materiality in euros next to a book value: at least EUR 1 (and below the book value when
    planning). An amount between 0 and 1 was almost certainly typed as a fraction; the message
    says so and gives the amount that fraction would be."""
    number = finite(amount, MATERIALITY)
    if number <= 0:
        raise SamplingError(f"de materialiteit moet groter dan 0 zijn (niet {show(amount)})")
    if number < 1:
        raise SamplingError(
            f"de materialiteit is naast een boekwaarde een bedrag in euro en moet minstens € 1 zijn "
            f"(niet {show(amount)}); bedoelde u {show(amount)} als fractie? Geef dan het bedrag: "
            f"{show(amount)} × {_euro(finite(book_value, BOOK_VALUE))} = "
            f"{_euro(number * finite(book_value, BOOK_VALUE))}"
        )
    if below_book_value and number >= finite(book_value, BOOK_VALUE):
        raise SamplingError(
            f"de materialiteit ({_euro(number)}) moet kleiner zijn dan de boekwaarde van de "
            f"populatie ({_euro(finite(book_value, BOOK_VALUE))})"
        )
    return number


def materiality_amount(materiality: object, book_value: Decimal) -> Decimal:
    """The ``kic stats`` convention next to a book value: below 1 a fraction of it, from 1 euros."""
    number = finite(materiality, MATERIALITY)
    if number <= 0:
        raise SamplingError(
            f"de materialiteit moet groter dan 0 zijn: een fractie van de boekwaarde (0,02) of een "
            f"bedrag in euro (niet {show(materiality)})"
        )
    typed = Decimal(str(materiality))
    if number >= 1:
        return typed
    check_book_value(book_value)
    book = book_value if isinstance(book_value, Decimal) else Decimal(str(book_value))
    amount = typed * book
    if 0 < amount < 1:
        raise SamplingError(
            f"de materialiteit van {show(materiality)} × {_euro(book)} = {_euro(amount)} moet "
            "minstens € 1 zijn"
        )
    return amount


# --- planning -------------------------------------------------------------------------------------


def check_plan(
    materiality: object,
    confidence: object,
    expected: object,
    likelihood: object,
    population_size: object,
    max_n: object,
) -> tuple[int | None, int]:
    """Inputs of plan_sample_size; returns (N, max_n) as ints, N None unless hypergeometric."""
    check_confidence(confidence)
    check_likelihood(likelihood)
    rate = fraction(materiality, MATERIALITY)
    wanted = non_negative(expected, EXPECTED)
    if wanted < 1 and wanted >= rate:
        raise SamplingError("het verwachte foutpercentage moet onder de materialiteit liggen")
    largest = whole(max_n, MAX_N, minimum=1)
    return check_population_size(population_size, str(likelihood)), largest


def check_expected_rate(expected_rate: object) -> float:
    """An expected deviation rate: a fraction in [0, 1)."""
    rate = non_negative(expected_rate, EXPECTED_RATE)
    if rate >= 1:
        raise SamplingError(f"{EXPECTED_RATE} moet een fractie onder 1 zijn (niet {show(expected_rate)})")
    return rate


def check_allowed_errors_plan(
    allowed: object,
    tolerable_rate: object,
    confidence: object,
    likelihood: object,
    population_size: object,
    tolerable_count: object,
) -> tuple[int, int | None]:
    """Inputs of size_for_allowed_errors; returns (allowed, N)."""
    check_confidence(confidence)
    check_likelihood(likelihood)
    count = whole(allowed, ALLOWED)
    fraction(tolerable_rate, TOLERABLE_RATE)
    population = check_population_size(population_size, str(likelihood))
    if population is None:
        if tolerable_count is not None:
            raise SamplingError(
                f"alleen het hypergeometrische kansmodel gebruikt {TOLERABLE_COUNT}; bij "
                f"{likelihood} wordt het genegeerd: laat het weg of kies hypergeometric"
            )
        return count, None
    if count >= population:
        raise SamplingError(
            f"{ALLOWED} ({count}) moet kleiner zijn dan de populatieomvang (N = {population})"
        )
    if tolerable_count is not None and whole(tolerable_count, TOLERABLE_COUNT) > population:
        raise SamplingError(
            f"{TOLERABLE_COUNT} ({show(tolerable_count)}) is groter dan de populatieomvang (N = {population})"
        )
    return count, population


def check_expected_count_plan(
    tolerable_count: object, expected_count: object, population_size: object, confidence: object
) -> None:
    """Inputs of plan_attribute_expected_count (counts of deviations in a population of N)."""
    check_confidence(confidence)
    population = whole(population_size, POPULATION_SIZE, minimum=1)
    tolerable = whole(tolerable_count, TOLERABLE_COUNT, minimum=1)
    expected = whole(expected_count, EXPECTED_COUNT)
    if tolerable > population:
        raise SamplingError(
            f"{TOLERABLE_COUNT} ({tolerable}) is groter dan de populatieomvang (N = {population})"
        )
    if expected >= tolerable:
        raise SamplingError(
            f"{EXPECTED_COUNT} ({expected}) moet kleiner zijn dan {TOLERABLE_COUNT} ({tolerable})"
        )


def check_mus_plan(book_value: object, materiality_amount: object, expected_misstatement: object) -> None:
    """Euros of a MUS plan: 0 <= expected misstatement < materiality < book value, materiality >= EUR 1."""
    check_book_value(book_value)
    check_materiality_amount(materiality_amount, book_value, below_book_value=True)
    expected = non_negative(expected_misstatement, EXPECTED_MISSTATEMENT)
    if expected >= finite(materiality_amount, MATERIALITY):
        raise SamplingError(
            f"{EXPECTED_MISSTATEMENT} ({_euro(expected)}) moet kleiner zijn dan de materialiteit "
            f"({_euro(finite(materiality_amount, MATERIALITY))})"
        )


def check_two_stage_plan(
    materiality: object, confidence: object, likelihood: object, allowed: object, max_n: object
) -> tuple[int, int]:
    """Inputs of plan_two_stage (one or more errors allowed over the two stages); (allowed, max_n)."""
    check_confidence(confidence)
    if likelihood not in ("binomial", "poisson"):
        raise SamplingError("een tweestapsplan kan alleen met het binomiale of het Poisson-kansmodel")
    fraction(materiality, MATERIALITY)
    return whole(allowed, ALLOWED, minimum=1), whole(max_n, MAX_N, minimum=1)


# --- evaluation -----------------------------------------------------------------------------------


def check_attribute_evaluation(
    n: object,
    deviations: object,
    confidence: object,
    method: object,
    population_size: object,
    tolerable_rate: object,
) -> tuple[int, int]:
    """Inputs of evaluate_attribute; returns (n, deviations) as ints."""
    check_confidence(confidence)
    size = check_sample_size(n)
    found = whole(deviations, DEVIATIONS)
    if found > size:
        raise SamplingError(
            f"{DEVIATIONS} ({found}) is groter dan de steekproefomvang (n = {size}); "
            "nodig: 0 <= afwijkingen <= n"
        )
    check_population_size(population_size, check_likelihood(method), size)
    if tolerable_rate is not None:
        fraction(tolerable_rate, TOLERABLE_RATE)
    return size, found


def check_mus_evaluation(
    taints: object,
    n: object,
    population_value: object,
    confidence: object,
    *,
    materiality: object = None,
    key_item_errors: object = 0,
) -> int:
    """Inputs of evaluate_mus; returns n as an int. A materiality there is an amount in euros."""
    check_confidence(confidence)
    size = check_sample_size(n)
    check_book_value(population_value)
    check_taints(taints, size)
    if materiality is not None:
        check_materiality_amount(materiality, population_value)
    check_key_item_errors(key_item_errors)
    return size


def check_stringer_bound(
    taints: object, n: object, confidence: object, likelihood: object, population_size: object
) -> int:
    """Inputs of stringer_bound (fractions; N only for the hypergeometric model); returns n."""
    check_confidence(confidence)
    size = check_sample_size(n)
    check_taints(taints, size)
    check_population_size(population_size, check_likelihood(likelihood), size)
    return size


def check_values(book_values: object, audit_values: object, times: object = None) -> None:
    """Inputs of taints_from_values: finite amounts, and whole hit counts of at least 1."""
    for values, field in ((book_values, BOOK_VALUES), (audit_values, AUDIT_VALUES)):
        try:
            array = np.atleast_1d(np.asarray(values, dtype=float))
        except (TypeError, ValueError):
            raise SamplingError(f"{field} moeten getallen zijn") from None
        bad = np.flatnonzero(~np.isfinite(array))
        if bad.size:
            raise SamplingError(
                f"{field} moeten eindige getallen zijn (post {bad[0] + 1}: {show(array[bad[0]])})"
            )
    if times is not None:
        hits = list(times)  # type: ignore[call-overload]
        for value in hits:
            whole(value, HITS, minimum=1)
        if len(hits) != len(np.atleast_1d(np.asarray(book_values, dtype=float))):
            raise SamplingError(f"{HITS} moet voor elke boekwaarde één getal geven")


def check_stratum(stratum: Any) -> None:
    """One StratumInput: book value > 0, whole n >= 1, 0 <= errors (sum of taints) <= n, key-item
    errors >= 0 and whole virtual items >= 0; the message names the stratum."""
    with about(f"stratum {stratum.name}"):
        value = finite(stratum.book_value, "de boekwaarde")
        if value <= 0:
            raise SamplingError(f"de boekwaarde moet groter dan 0 zijn (niet {show(stratum.book_value)})")
        size = check_sample_size(stratum.n)
        check_errors(stratum.errors, size, "de som van de tainten (fouten)")
        check_key_item_errors(stratum.key_item_errors)
        whole(stratum.virtual_items, VIRTUAL_ITEMS)


def check_strata(
    strata: Sequence[Any], confidence: object, materiality: object = None, grid_points: object = 2
) -> None:
    """Inputs of evaluate_strata (each StratumInput too); a materiality is an amount in euros of the
    strata's total book value."""
    check_confidence(confidence)
    if not strata:
        raise SamplingError("er is minstens één stratum nodig")
    for stratum in strata:
        check_stratum(stratum)
    if materiality is not None:
        check_materiality_amount(materiality, sum(finite(s.book_value, "de boekwaarde") for s in strata))
    whole(grid_points, GRID_POINTS, minimum=1)
