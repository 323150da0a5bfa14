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


def test_import_docs_give_the_length_limit_of_every_text_column():
    from kic.population.validate import max_lengths

    text = DOCS.read_text(encoding="utf-8")
    for kind, columns in COLUMNS.items():
        limits = max_lengths(kind)
        for column in columns:
            if column.attr in limits:
                row = next(line for line in text.splitlines() if line.startswith(f"| `{column.header}` |"))
                assert f" | {limits[column.attr]} | " in row, (kind, column.header)
