"""docs/import.md describes every column the importer knows."""

from pathlib import Path

from kic.population.schema import COLUMNS, REGELINGEN

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def test_import_docs_name_every_column_and_regeling():
    text = DOCS.read_text(encoding="utf-8")
    for columns in COLUMNS.values():
        for column in columns:
            assert f"`{column.header}`" in text, column.header
    for code in REGELINGEN:
        assert f"`{code}`" in text
