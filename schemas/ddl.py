"""The warehouse DDL as data: numbered migrations and the analyst views, read through here and never by path, so
the warehouse package depends on the contract, not on where its files sit."""
from __future__ import annotations

from pathlib import Path

_SQL = Path(__file__).resolve().parent / "sql"


def migrations() -> list[tuple[str, str]]:
    """(name, SQL) of every numbered migration (NNN_*.sql), in the order they apply."""
    return [(f.name, f.read_text(encoding="utf-8")) for f in sorted(_SQL.glob("[0-9][0-9][0-9]_*.sql"))]


def views_sql() -> str | None:
    """The CREATE OR REPLACE VIEW script, re-run after every migration."""
    f = _SQL / "views.sql"
    return f.read_text(encoding="utf-8") if f.exists() else None


def contract_files() -> list[Path]:
    """Every file of the data contract (catalogues, code lists, DDL): what a staged record's version hashes."""
    root = Path(__file__).resolve().parent
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".csv", ".sql", ".yaml", ".json"))
