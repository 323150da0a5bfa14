"""CSV for Dutch Excel, guarded against formula injection."""

from kic.csvexport import dutch_csv, guard_cell


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote():
    assert [guard_cell(v) for v in ("=1+1", "+31", "-5", "@SUM", "\tx", "\rx", "gewoon", None, 12)] == [
        "'=1+1",
        "'+31",
        "'-5",
        "'@SUM",
        "'\tx",
        "'\rx",
        "gewoon",
        "",
        "12",
    ]
    assert dutch_csv(["a", "b"], [["1;2", "=x"]]) == '\ufeffa;b\r\n"1;2";\'=x\r\n'
