"""``kic plan show``, ``validate`` and ``render`` on an imported synthetic gemeente."""

from __future__ import annotations

import json
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kic.cli import main
from kic.db import session_scope
from kic.plan import load_plan
from kic.population.frames import load_payments
from kic.sampling import plan_mus


@pytest.fixture
def kic(population, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    monkeypatch.delenv("KIC_TEMPLATES_DIR", raising=False)
    url = population.url.render_as_string(hide_password=False)

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, [*args, "--database", url])

    return run


def test_plan_show_json_sizes_the_mus_line_on_the_imported_population(kic, population):
    result = kic("plan", "show", "2026", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    line = next(d for d in data["onderdelen"] if d["id"] == "PWLO-BETALING")
    with session_scope(population) as session:
        rows = load_payments(session, "PW-LO")
    in_year = rows[(rows["period_from"].dt.year == 2026) & (rows["amount_cents"] > 0)]
    value = Decimal(int(in_year["amount_cents"].sum())) / 100
    expected = plan_mus(value, value * Decimal("0.02"), 0.95, value * Decimal("0.005")).n
    assert (line["populatie"]["aantal"], Decimal(line["populatie"]["waarde"])) == (len(in_year), value)
    assert line["omvang"] == expected == sum(p["omvang"] for p in line["perioden"])
    assert [p["periode"] for p in line["perioden"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert data["toleranties"]["goedkeuring_gecombineerd_pct"] == 2.0 and not data["problemen"]
    assert {d["id"] for d in data["onderdelen"]} == {p.id for p in load_plan(2026).parts}


def test_plan_show_prints_an_aligned_dutch_table_for_one_period(kic):
    result = kic("plan", "show", "2026", "--periode", "2026-Q3", "--regeling", "pw-lo")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(i for i, text in enumerate(lines) if text.startswith("onderdeel"))
    assert "populatie" in lines[header] and "omvang" in lines[header] and "vier ogen" in lines[header]
    body = lines[header + 1 : -1]
    assert {text.split()[0] for text in body if not text.startswith(" ")} == {
        "PWLO-BETALING",
        "PWLO-HERONDERZOEK",
        "PWLO-AANVRAAG",
        "PWLO-PREVENTIEF",
        "PWLO-BEEINDIGING",
        "PWLO-TERUGVORDERING",
        "PWLO-HANDMATIG",
    }
    assert any(text.startswith("Kwaliteitsnormen per werkproces: aanvraag 90%") for text in lines)
    periods = [text.split()[0] for text in body if text.startswith("  ") and not text.startswith("  let op")]
    assert "2026-Q3" in periods and "2026-Q1" not in periods
    assert "2026-W27" not in periods and "2026-W40" in periods  # a week belongs to the quarter it starts in
    assert len({text.rindex(" ") for text in body if text.startswith("  2026-")}) <= 3  # right-aligned
    assert lines[-1].startswith("totaal")


def test_plan_show_refuses_an_unknown_year_and_a_bad_period(kic):
    missing = kic("plan", "show", "1999")
    assert missing.exit_code == 1 and "geen controleplan voor 1999" in missing.output
    bad = kic("plan", "show", "2026", "--periode", "Q9")
    assert bad.exit_code == 1 and "onbekende periode" in bad.output


def test_plan_validate_reports_every_problem_of_the_gemeentes_folder(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "2026.yaml").write_text(
        "jaar: 2026\nversie: 0\ngemeente: X\nonderdelen:\n  - id: PWLO-A\n    regeling: PW-XX\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["plan", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "plans/2026.yaml, veld versie: moet minstens 1 zijn" in result.output
    assert "plans/2026.yaml, onderdeel PWLO-A, veld regeling: onbekende regeling 'PW-XX'" in result.output
    assert "onderdeel PWLO-A, veld doel: verplicht veld ontbreekt" in result.output
    good = CliRunner().invoke(main, ["plan", "validate"])
    assert good.exit_code == 0 and "in orde" in good.output


class _Document(HTMLParser):
    """Cells of every table row by its id, the title and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.title, self.text = "", []
        self._row: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self._in = tag
        if tag == "tr" and dict(attrs).get("id"):
            self._row = dict(attrs)["id"]
            self.rows[self._row] = []
        elif tag == "td" and self._row:
            self.rows[self._row].append("")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "tr":
            self._row = None
        self._in = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)
        if self._in == "title":
            self.title += data
        if self._row and self._in == "td":
            self.rows[self._row][-1] += data.strip()


def parse_html(path: Path) -> _Document:
    document = _Document()
    document.feed(path.read_text(encoding="utf-8"))
    return document


def test_plan_render_writes_a_deterministic_document_for_the_accountant(kic, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert kic("plan", "render", "2026", "--uitvoer", str(first)).exit_code == 0
    result = kic("plan", "render", "2026", "--uit", str(second))
    assert result.exit_code == 0 and "geschreven naar" in result.output
    assert first.read_bytes() == second.read_bytes()
    doc = parse_html(first)
    assert doc.title == "Controleplan 2026 — Voorbeeldgemeente (synthetisch)"
    shown = json.loads(kic("plan", "show", "2026", "--json").output)
    line = next(d for d in shown["onderdelen"] if d["id"] == "PWLO-BETALING")
    cells = doc.rows["rij-PWLO-BETALING"]
    assert cells[:6] == ["PWLO-BETALING", "PW-LO", "betaling", "statistisch", "MUS", "per kwartaal"]
    assert cells[8] == str(line["omvang"]) and cells[9] == "ja"
    assert cells[7].startswith("€") and "," in cells[7]  # Dutch money
    text = " ".join(doc.text)
    assert (
        "J. Jansen RA (voorbeeld)" in text and "03-02-2026" in text and load_plan(2026).content_hash in text
    )


def test_plan_render_uses_the_gemeentes_own_template_first(kic, tmp_path, monkeypatch):
    own = tmp_path / "sjablonen"
    own.mkdir()
    (own / "base.html.j2").write_text(
        "<html><head><title>{% block title %}{% endblock %}</title></head>"
        "<body><p>Huisstijl</p>{% block content %}{% endblock %}</body></html>",
        encoding="utf-8",
    )
    monkeypatch.setenv("KIC_TEMPLATES_DIR", str(own))
    out = tmp_path / "plan.html"
    assert kic("plan", "render", "2026", "-o", str(out)).exit_code == 0
    doc = parse_html(out)
    assert "Huisstijl" in doc.text and "rij-PWLO-BETALING" in doc.rows


def test_the_gemeentes_plan_is_used_by_show(kic, tmp_path, monkeypatch):
    (tmp_path / "plans").mkdir()
    shipped = load_plan(2026).canonical()
    shipped["gemeente"] = "Eigen Gemeente"
    shipped["onderdelen"] = [p for p in shipped["onderdelen"] if p["id"] == "WKO-BETALING"]
    (tmp_path / "plans" / "2026.yaml").write_text(json.dumps(shipped), encoding="utf-8")
    monkeypatch.setenv("KIC_CONTROLS_DIR", str(tmp_path))
    result = kic("plan", "show", "2026")
    assert result.exit_code == 0, result.output
    assert "Eigen Gemeente" in result.output and "WKO-BETALING" in result.output
    assert "PWLO-BETALING" not in result.output


def test_the_pure_sizes_accept_a_load_payments_frame(population):
    from kic.controls.loader import load_catalogue
    from kic.plan import payments_frame, plan_sizes, year_thresholds
    from kic.plan.population import Populations, empty_populations

    with session_scope(population) as session:
        raw = load_payments(session)
    plan = load_plan(2026)
    pops = Populations(payments_frame(raw), empty_populations().dossiers)
    sizes = plan_sizes(plan, pops, year_thresholds(load_catalogue().tables, plan))
    assert sizes.part("PWLO-BETALING").n > 0 and sizes.part("PWLO-AANVRAAG").n == 0  # no dossiers given
    assert isinstance(raw, pd.DataFrame)


def test_plan_render_writes_a_pdf_for_the_accountant(kic, tmp_path):
    from kic.reports.render import pdf_unavailable

    if (reason := pdf_unavailable()) is not None:
        pytest.skip(reason)
    out = tmp_path / "plan.pdf"
    result = kic("plan", "render", "2026", "--pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-") and out.stat().st_size > 5_000
