from pathlib import Path

from warehouse.dictionary import data_dictionary_markdown

REPO = Path(__file__).resolve().parents[2]


def test_committed_data_dictionary_is_current():
    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary_markdown(), "run `make dictionary` and commit docs/data-dictionary.md"


def test_every_table_column_has_a_chinese_comment():
    md = data_dictionary_markdown()
    tables_part = md.split("## Views")[0]
    rows = [ln for ln in tables_part.splitlines() if ln.startswith("| `")]
    assert rows
    missing = [r for r in rows if r.rstrip().endswith("|  |") or r.rstrip().endswith("| |")]
    assert not missing, missing
