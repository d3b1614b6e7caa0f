"""The document registry and the content-addressed raw store.

Every document the pipeline knows about has one registry row, keyed by a stable ASCII ``doc_id`` derived from
its content hash, so the same bytes found twice (two portals, a re-crawl, a copy in a folder) are one document.
The registry is a small SQLite file (``data/registry.sqlite``): discovery (crawler, folder scans) writes it,
the Dagster sensor reads it to create one dynamic partition per document. It never touches DuckDB, so
discovery never waits on the warehouse writer.

Raw bytes live under ``<raw_dir>/<sha[:2]>/<sha256>`` — file names from the web never become paths.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path

DOC_ID_PREFIX = "d"


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def doc_id_for(sha256: str) -> str:
    """Stable partition key: 'd' + the first 16 hex digits of the content hash (ASCII, URL- and CLI-safe)."""
    return f"{DOC_ID_PREFIX}{sha256[:16]}"


@dataclass
class RegistryEntry:
    doc_id: str
    sha256: str
    raw_path: str  # where the bytes are (inside the raw store)
    bytes: int
    source_name: str = ""  # the sources.yaml entry (or "cli") that found it
    source_kind: str = ""  # folder | portal | url_list | cli
    url: str = ""  # source URL, or file:// path for local files
    original_name: str = ""  # file name as published (display only; never used as a path)
    title: str = ""  # link text / article title
    publish_date: str = ""
    column_name: str = ""  # portal column (栏目)
    unit_guess: str = ""
    year_guess: int | None = None
    kind_guess: str = ""  # final_accounts | budget | ""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    first_seen: float = 0.0
    last_seen: float = 0.0
    status: str = "registered"  # registered | rejected (with reason in note)
    note: str = ""
    disclosure: str = ""  # the classifier's label (extractors/classify.py); "" = not classified
    disclosure_reason: str = ""  # what the label rests on


_COLUMNS = [f.name for f in fields(RegistryEntry)]


class RawStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put_bytes(self, data: bytes) -> tuple[str, Path]:
        sha = hashlib.sha256(data).hexdigest()
        dest = self.path_for(sha)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, dest)
        return sha, dest

    def put_file(self, src: str | os.PathLike) -> tuple[str, Path]:
        """Copy ``src`` into the store, named by the hash of the bytes copied.

        Never a hard link: an in-place overwrite of the original (``cp other.pdf doc.pdf``) would change the
        bytes behind a stored hash (issue 17). The hash is taken of the copy, so a file changing while it
        is copied cannot be stored under the old content's name.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".incoming.{os.getpid()}.{time.monotonic_ns()}"
        try:
            shutil.copyfile(src, tmp)  # copy_file_range/sendfile: a reflink where the filesystem offers it
            sha = sha256_file(tmp)
            dest = self.path_for(sha)
            if dest.exists():
                tmp.unlink()
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
        return sha, dest

    @staticmethod
    def verify(path: str | os.PathLike, sha256: str, name: str = "") -> None:
        """Refuse stored bytes that no longer hash to their name (changed behind the store's back)."""
        try:
            actual = sha256_file(path)
        except OSError as e:
            raise RawStoreError(f"{name or path}: the stored copy cannot be read ({e.strerror or e})") from e
        if actual != sha256:
            raise RawStoreError(f"{name or path}: the stored bytes changed since ingest (sha256 {actual[:12]}…, "
                                f"registered {sha256[:12]}…); refusing to read them — ingest the file again")


class RawStoreError(Exception):
    """Stored raw bytes missing or not matching their registered hash."""


class Registry:
    """SQLite-backed registry. Safe for one writer plus concurrent readers (WAL)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        types = {c: 'INTEGER' if c in ('bytes', 'year_guess') else 'REAL' if c in ('first_seen', 'last_seen') else 'TEXT'
                 for c in _COLUMNS}
        cols = ", ".join(f"{c} {t}" for c, t in types.items())
        self._conn.execute(f"CREATE TABLE IF NOT EXISTS documents ({cols}, PRIMARY KEY (doc_id))")
        have = {r[1] for r in self._conn.execute("PRAGMA table_info(documents)")}
        for c in _COLUMNS:  # a registry written before a column existed gains it (empty) instead of failing
            if c not in have:
                default = " DEFAULT ''" if types[c] == "TEXT" else ""
                self._conn.execute(f"ALTER TABLE documents ADD COLUMN {c} {types[c]}{default}")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS urls (url TEXT PRIMARY KEY, sha256 TEXT, etag TEXT, last_modified TEXT,"
            " status TEXT, note TEXT, checked_at REAL)"
        )

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def upsert(self, entry: RegistryEntry) -> bool:
        """Insert or refresh an entry. Returns True when the document is new to the registry."""
        now = time.time()
        existing = self.get(entry.doc_id)
        if existing is None:
            entry.first_seen = entry.first_seen or now
            entry.last_seen = now
            # another process (a crawl, a second ingest) may register the same bytes between the get and here:
            # the insert is then a no-op and this call refreshes that row instead of failing on the primary key
            inserted = self._conn.execute(
                f"INSERT INTO documents ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
                " ON CONFLICT (doc_id) DO NOTHING",
                [getattr(entry, c) for c in _COLUMNS],
            ).rowcount
            if inserted:
                return True
            existing = self.get(entry.doc_id)
        # keep the first discovery's provenance; fill gaps and refresh last_seen
        merged = asdict(existing)
        for c in _COLUMNS:
            v = getattr(entry, c)
            if c in ("doc_id", "first_seen"):
                continue
            if v not in ("", None, 0) and merged.get(c) in ("", None, 0):
                merged[c] = v
        merged["last_seen"] = now
        merged["raw_path"] = entry.raw_path or merged["raw_path"]
        self._conn.execute(
            f"UPDATE documents SET {', '.join(f'{c} = ?' for c in _COLUMNS)} WHERE doc_id = ?",
            [merged[c] for c in _COLUMNS] + [entry.doc_id],
        )
        return False

    def set_verdict(self, doc_id: str, label: str, reason: str, *, status: str | None = None,
                    note: str | None = None) -> None:
        """Store the classifier's verdict (and, for a non-disclosure, status 'rejected' with the reason)."""
        sets, args = ["disclosure = ?", "disclosure_reason = ?"], [label, reason]
        if status is not None:
            sets.append("status = ?")
            args.append(status)
        if note is not None:
            sets.append("note = ?")
            args.append(note)
        self._conn.execute(f"UPDATE documents SET {', '.join(sets)} WHERE doc_id = ?", [*args, doc_id])

    def non_disclosures(self) -> list[RegistryEntry]:
        """Documents the classifier rejected, with their verdicts (what ingest skipped and why)."""
        return [e for e in self.all(status="rejected") if e.disclosure and e.disclosure != "disclosure"]

    def touch(self, doc_id: str) -> None:
        """Record that a known document was seen again (a re-crawl found it unchanged)."""
        self._conn.execute("UPDATE documents SET last_seen = ? WHERE doc_id = ?", [time.time(), doc_id])

    def get(self, doc_id: str) -> RegistryEntry | None:
        row = self._conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        return RegistryEntry(**dict(zip(_COLUMNS, row))) if row else None

    def all(self, status: str | None = "registered", since: float | None = None) -> list[RegistryEntry]:
        """Entries in discovery order; ``since`` keeps those first seen at or after that time."""
        q = f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE 1 = 1"
        args: list = []
        if status:
            q += " AND status = ?"
            args.append(status)
        if since:
            q += " AND first_seen >= ?"
            args.append(since)
        q += " ORDER BY first_seen, doc_id"
        return [RegistryEntry(**dict(zip(_COLUMNS, r))) for r in self._conn.execute(q, args)]

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT doc_id FROM documents WHERE status = 'registered' ORDER BY first_seen, doc_id")]

    # --- URL memory for conditional requests (used by the crawler) ---
    def url_state(self, url: str) -> dict | None:
        row = self._conn.execute(
            "SELECT url, sha256, etag, last_modified, status, note, checked_at FROM urls WHERE url = ?", [url]
        ).fetchone()
        if not row:
            return None
        return dict(zip(["url", "sha256", "etag", "last_modified", "status", "note", "checked_at"], row))

    def set_url_state(self, url: str, *, sha256: str = "", etag: str = "", last_modified: str = "",
                      status: str = "", note: str = "") -> None:
        self._conn.execute(
            "INSERT INTO urls (url, sha256, etag, last_modified, status, note, checked_at) VALUES (?,?,?,?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET sha256=excluded.sha256, etag=excluded.etag,"
            " last_modified=excluded.last_modified, status=excluded.status, note=excluded.note,"
            " checked_at=excluded.checked_at",
            [url, sha256, etag, last_modified, status, note, time.time()],
        )


DOCUMENT_SUFFIXES = {".pdf", ".docx", ".doc", ".wps", ".xls", ".xlsx", ".html", ".htm", ".txt", ".et"}
# found in folders: plain text beside the disclosures is notes, manifests or READMEs, never a disclosure; a .txt
# named on the command line is still read (the user asked for it)
FOLDER_SUFFIXES = DOCUMENT_SUFFIXES - {".txt"}


def iter_document_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files given directly, plus document-looking files found under given folders (sorted, recursive)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES and not f.name.startswith("."):
                    yield f
        elif p.is_file():
            yield p
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")


def register_files(registry: Registry, store: RawStore, paths: Iterable[str | os.PathLike],
                   source_name: str = "cli", source_kind: str = "folder",
                   classify: bool = True) -> list[tuple[RegistryEntry, bool]]:
    """Copy local files into the raw store and register them. Returns (entry, is_new) per file.

    With ``classify`` each file is judged from its name and first pages (extractors/classify.py): a file that is
    not a disclosure (决议, 通知, 绩效评价 …) is registered with status 'rejected' and the classifier's reason,
    which is how ingest knows to skip it; the verdict is kept, so a known file is not judged twice.

    The files new to the registry share one ``first_seen`` (this call's start): they are one registration, so
    the PDF and DOCX of one disclosure are versions of the same age and a later registration is a newer one
    (the warehouse's current_documents view relies on it)."""
    out = []
    registered_at = time.time()
    for f in iter_document_files(paths):
        sha, dest = store.put_file(f)
        entry = RegistryEntry(
            doc_id=doc_id_for(sha), sha256=sha, raw_path=str(dest), bytes=dest.stat().st_size,
            source_name=source_name, source_kind=source_kind, url=f.resolve().as_uri(), original_name=f.name,
            title=f.stem, first_seen=registered_at,
        )
        known = registry.get(entry.doc_id)
        if classify and not (known and known.disclosure):
            from .leadtext import classify_file  # the readers behind it are heavy imports

            v = classify_file(dest, title=f.stem)
            entry.disclosure, entry.disclosure_reason = v.label, v.reason
            if not v.is_disclosure:
                entry.status, entry.note = "rejected", f"not a disclosure: {v.describe()}"
        is_new = registry.upsert(entry)
        if not is_new and entry.disclosure:
            registry.set_verdict(entry.doc_id, entry.disclosure, entry.disclosure_reason,
                                 status=entry.status, note=entry.note or None)
        elif known and known.disclosure and not entry.disclosure:
            entry.disclosure, entry.disclosure_reason = known.disclosure, known.disclosure_reason
            entry.status, entry.note = known.status, known.note
        out.append((entry, is_new))
    return out
