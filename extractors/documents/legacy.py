"""Legacy Word/WPS (OLE2) files: convert to DOCX with LibreOffice headless, then read as DOCX.

Each conversion gets its own throw-away LibreOffice profile (concurrent conversions sharing the default profile
hang or fail silently) and runs in its own process group under a timeout, so a hostile file cannot hang us.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractors.documents.limits import Limits
from schemas.document import Document, DocumentError


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_soffice(path: Path, target: str, limits: Limits, workdir: Path) -> Path:
    exe = soffice_binary()
    if exe is None:
        raise DocumentError(str(path), "legacy Office file needs LibreOffice (soffice), which is not installed")
    profile = workdir / "profile"
    src = workdir / ("input" + (path.suffix.lower() or ".doc"))
    shutil.copyfile(path, src)  # an ASCII name: soffice mangles some non-ASCII paths
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
           "--nodefault", "--nofirststartwizard", "--convert-to", target, "--outdir", str(workdir / "out"),
           str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, "HOME": str(workdir)})
    try:
        _, err = proc.communicate(timeout=limits.convert_timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise DocumentError(str(path), f"LibreOffice conversion timed out after {limits.convert_timeout:.0f}s") from None
    out = list((workdir / "out").glob("*"))
    if proc.returncode != 0 or not out:
        msg = err.decode("utf-8", "replace").strip()[-300:]
        raise DocumentError(str(path), f"LibreOffice could not convert the file (exit {proc.returncode}: {msg})")
    return out[0]


def read_legacy_word(path: Path, sha256: str, kind: str, limits: Limits) -> Document:
    from extractors.documents.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="juesuan-lo-") as tmp:
        converted = convert_with_soffice(path, "docx", limits, Path(tmp))
        doc = read_docx(converted, sha256, fmt=kind, limits=limits)
    doc.path = str(path)
    doc.metadata["converted_from"] = kind
    doc.metadata["converter"] = "libreoffice"
    return doc
