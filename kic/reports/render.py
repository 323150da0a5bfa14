"""HTML from the templates, PDF with WeasyPrint, XLSX with openpyxl, CSV for Dutch Excel."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from kic.csvexport import PERCENT, append_table, dutch_csv
from kic.templating import environment

TEMPLATES = {
    "kwartaal": "kwartaalrapportage.html.j2",
    "sisa": "sisa.html.j2",
    "agenda": "verbeteragenda.html.j2",
}
ITEM_COLUMNS = (
    "steekproef",
    "regeling",
    "post",
    "eenheid",
    "betaling_of_beschikking",
    "boekwaarde",
    "sleutelpost",
    "status",
    "oordeel",
    "fout",
    "onzeker",
    "formeel",
    "bewijs",
)
TABLE_COLUMNS = (
    "regeling",
    "sisa",
    "populatie",
    "fouten_gevonden",
    "fouten_mwf",
    "fouten_bovengrens",
    "onzekerheden_gevonden",
    "onzekerheden_mwf",
    "onzekerheden_bovengrens",
    "samen_gevonden",
    "samen_mwf",
    "samen_bovengrens",
    "methode",
    "rapporteringstolerantie",
)


def render_html(kind: str, view: dict[str, Any], templates: Path | None = None, *, pdf: bool = False) -> str:
    """The report as HTML; ``pdf``: the variant WeasyPrint is given (a template may lay out long lists
    differently on paper, where a table of thousands of rows takes WeasyPrint minutes)."""
    return environment(templates).get_template(TEMPLATES[kind]).render(**view, pdf=pdf)


@cache
def pdf_unavailable() -> str | None:
    """Why WeasyPrint cannot make a PDF here (it needs Pango from the operating system), or None."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError, Warning) as exc:  # a warning too: under -W error it is raised
        return f"WeasyPrint kan niet laden: {exc}"
    return None


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def item_cells(items: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            i["sample_id"],
            i["regeling"],
            i["position"],
            i["unit"],
            i["item_key"],
            i["book_value"],
            "ja" if i["key_item"] else "nee",
            i["status"],
            i["verdict"],
            i["error"],
            i["uncertain"],
            i["formal"],
            i["evidence"],
        ]
        for i in items
    ]


def table_cells(table: Sequence[dict[str, Any]]) -> list[list[Any]]:
    keys = (
        "regeling",
        "code",
        "population",
        "errors_found",
        "errors_mwf",
        "errors_max",
        "uncertain_found",
        "uncertain_mwf",
        "uncertain_max",
        "total_found",
        "total_mwf",
        "total_max",
        "method",
        "reporting_limit",
    )
    return [[row[k] for k in keys] for row in table]


DECISION_COLUMNS = (
    "steekproef",
    "regeling",
    "periode",
    "beschikkingen",
    "posten",
    "beoordeeld",
    "met_fout",
    "met_onzekerheid",
    "met_fout_of_onzekerheid",
    "aandeel",
    "bovengrens",
)


def decision_cells(decisions: Sequence[Any]) -> list[list[Any]]:
    """Samples of beschikkingen: counts, and the rate of fout or onzekerheid with its upper limit (fractions)."""
    rows = []
    for s in decisions:
        total = s.rates.get("totaal")
        rows.append(
            [
                s.sample_id,
                s.regeling,
                s.period,
                s.population_count,
                s.items,
                s.reviewed,
                s.projections["fouten"].items_with_error,
                s.projections["onzekerheden"].items_with_error,
                s.projections["totaal"].items_with_error,
                None if total is None else round(total.rate, 6),
                None if total is None else round(total.upper_rate, 6),
            ]
        )
    return rows


RECONCILIATION_COLUMNS = (
    "regeling",
    "betalingen",
    "debet",
    "credit",
    "saldo_kic",
    "grootboek",
    "verschil",
    "statistisch_bemonsterd",
)


def reconciliation_cells(rows: Sequence[Any]) -> list[list[Any]]:
    return [
        [r.regeling, r.count, r.debit, r.credit, r.balance, r.ledger, r.difference, r.sampled] for r in rows
    ]


CORRECTION_COLUMNS = (
    "regeling",
    "crediteringen",
    "gecrediteerd",
    "nabetalingen",
    "nabetaald",
    "te_veel_betaald",
    "te_veel_bedrag",
    "te_veel_later_gecrediteerd",
    "te_weinig_betaald",
    "te_weinig_bedrag",
    "te_weinig_later_bijbetaald",
)


def correction_cells(corrections: Sequence[Any]) -> list[list[Any]]:
    return [
        [
            c.regeling,
            c.credits,
            c.credit_value,
            c.back_payments,
            c.back_payment_value,
            c.overpaid,
            c.overpaid_value,
            c.overpaid_seen,
            c.underpaid,
            c.underpaid_value,
            c.underpaid_seen,
        ]
        for c in corrections
    ]


def items_csv(items: Sequence[dict[str, Any]]) -> str:
    """Per item the verdict, ';'-separated, every cell guarded against formula injection."""
    return dutch_csv(ITEM_COLUMNS, item_cells(items))


def sisa_xlsx(view: dict[str, Any]) -> bytes:
    """The dossier's tables as sheets for the accountant's working papers: amounts as numbers in euros,
    rates as percentages, every sheet with a frozen, filtered header row."""
    book = Workbook()
    book.properties.creator = "kic"
    sheets = (
        ("Fouten en onzekerheden", TABLE_COLUMNS, table_cells(view["table"])),
        ("Aansluiting", RECONCILIATION_COLUMNS, reconciliation_cells(view["reconciliation"])),
        (
            "SiSa-indeling",
            ("sisa", "onderdeel", "betalingen", "saldo_kic"),
            [[line.code, line.description, line.count, line.balance] for line in view["sisa_lines"]],
        ),
        ("Posten", ITEM_COLUMNS, item_cells(view["items"])),
        (
            "Steekproeven",
            (
                "nr",
                "regeling",
                "periode",
                "doel",
                "methode",
                "seed",
                "populatie_sha256",
                "manifest_sha256",
                "posten",
            ),
            [
                [
                    s.id,
                    s.regeling,
                    s.period_label,
                    s.purpose,
                    s.method,
                    s.seed,
                    s.population_sha256,
                    s.manifest_sha256,
                    s.item_count,
                ]
                for _, s in view["samples"]
            ],
        ),
        ("Beschikkingen", DECISION_COLUMNS, decision_cells(view["decisions"])),
        ("Correcties", CORRECTION_COLUMNS, correction_cells(view["corrections"])),
    )
    book.remove(book.active)
    fractions = {"aandeel": PERCENT, "bovengrens": PERCENT}  # the rates of decision_cells
    for title, header, rows in sheets:
        append_table(book.create_sheet(title), header, rows, formats=fractions)
    return workbook_bytes(book, datetime(view["year"], 12, 31))


def workbook_bytes(book: Workbook, moment: datetime) -> bytes:
    """The workbook as XLSX bytes that depend on its content and ``moment`` alone.

    openpyxl's ``save`` stamps the document properties and every zip entry with the clock; here the
    properties and the entries carry ``moment`` (a date taken from the data) instead.
    """
    book.properties.created = book.properties.modified = moment
    buffer = io.BytesIO()
    ExcelWriter(book, _FixedTimeZip(buffer, moment)).save()
    return buffer.getvalue()


class _FixedTimeZip(ZipFile):
    """A zip archive that dates every entry at one fixed moment (openpyxl adds files and strings)."""

    def __init__(self, file: io.BytesIO, moment: datetime) -> None:
        super().__init__(file, "w", ZIP_DEFLATED, allowZip64=True)
        self._date_time = moment.timetuple()[:6]

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: str | bytes,  # type: ignore[override]
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            info = ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16  # what ZipFile gives an entry written by name
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """A file's content under its name, without the file's own modification time."""
        self.writestr(str(arcname or filename), Path(filename).read_bytes(), compress_type, compresslevel)
