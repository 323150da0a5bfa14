from decimal import Decimal

from click.testing import CliRunner
from reviewed import reviewed_sample

from kic.cli import main


def _run(db, *args):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        main, [*args, "--database", db.url.render_as_string(hide_password=False)], env={"KIC_USER": "kim"}
    )


def test_add_list_and_overdue_highlighted(population):
    ids = reviewed_sample(population, "2026-Q2", {0: Decimal("40.00")})
    added = _run(
        population,
        "agenda",
        "add",
        "--titel",
        "Werkinstructie inkomsten",
        "--eigenaar",
        "Team Inkomen",
        "--deadline",
        "01-05-2026",
        "--beoordeling",
        str(ids[0]),
    )
    assert added.exit_code == 0, added.output
    assert "Verbeteractie 1 toegevoegd" in added.output
    listed = _run(population, "agenda", "list", "--datum", "2026-06-01")
    assert "TE LAAT" in listed.output and "Team Inkomen" in listed.output
    late = _run(population, "agenda", "overdue", "--datum", "2026-04-01")
    assert late.output.strip() == "Geen te late verbeteracties."


def test_status_gereed_without_hermeting_needs_a_decision(population):
    _run(population, "agenda", "add", "--titel", "X", "--eigenaar", "Y", "--deadline", "2026-12-01")
    refused = _run(population, "agenda", "status", "1", "gereed")
    assert refused.exit_code == 1
    assert "geen hermeting gepland" in refused.output
    done = _run(population, "agenda", "status", "1", "gereed", "--besluit", "MT-besluit 12-11")
    assert done.exit_code == 0 and "gereed" in done.output


def test_list_by_owner(population):
    for title, owner in (("Werkinstructie", "Team Inkomen"), ("Scholing", "k.jansen")):
        _run(population, "agenda", "add", "--titel", title, "--eigenaar", owner, "--deadline", "01-12-2026")
    listed = _run(population, "agenda", "list", "--eigenaar", "team inkomen")
    assert listed.exit_code == 0 and "Werkinstructie" in listed.output and "Scholing" not in listed.output
