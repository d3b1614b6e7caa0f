"""Turn a factory PDF into what a scanner makes of it: image-only pages, skewed, noisy, JPEG-compressed.

The scan keeps the text twin's page sizes and order, so the twin's truth file (values, line items, pages) is the
scan's truth too. Degradation is seeded per page: the same input and settings give the same bytes.

    render_scan("twin.pdf", "scan.pdf", dpi=150, max_skew=1.0, noise=8.0, jpeg_quality=70, seed=7)
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = 150
    max_skew: float = 1.0  # degrees; each page is rotated by a seeded angle in [-max_skew, +max_skew]
    noise: float = 8.0  # grey-level sigma of Gaussian sensor noise
    blur: float = 0.5  # Gaussian blur radius in pixels (scanner optics)
    jpeg_quality: int = 70  # 0 = lossless (PNG-like Flate) instead of JPEG
    seed: int = 7

    def label(self) -> str:
        return f"{self.dpi}dpi ±{self.max_skew:g}° noise{self.noise:g} jpeg{self.jpeg_quality}"


def _degrade(img, angle: float, s: ScanSettings, rng: np.random.Generator):
    from PIL import Image, ImageFilter

    if angle:
        img = img.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=255)
    if s.blur:
        img = img.filter(ImageFilter.GaussianBlur(s.blur))
    if s.noise:
        a = np.asarray(img, dtype=np.float32) + rng.normal(0.0, s.noise, (img.height, img.width))
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    return img


def render_scan(src, dst, settings: ScanSettings | None = None, **kw) -> list[float]:
    """Write an image-only PDF of ``src`` to ``dst``; returns the skew angle applied to each page (degrees)."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    s = settings or ScanSettings(**kw)
    pdf = pdfium.PdfDocument(str(src))
    angles = []
    try:
        c = canvas.Canvas(str(dst), invariant=1)
        for i in range(len(pdf)):
            page = pdf[i]
            w_pt, h_pt = page.get_size()
            img = page.render(scale=s.dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            rng = np.random.default_rng([s.seed, i])
            angle = float(rng.uniform(-s.max_skew, s.max_skew)) if s.max_skew else 0.0
            img = _degrade(img, angle, s, rng)
            buf = io.BytesIO()
            if s.jpeg_quality:
                img.save(buf, format="JPEG", quality=s.jpeg_quality)  # reportlab embeds JPEG bytes as they are
            else:
                img.save(buf, format="PNG")
            buf.seek(0)
            c.setPageSize((w_pt, h_pt))
            c.drawImage(ImageReader(buf), 0, 0, w_pt, h_pt)
            c.showPage()
            angles.append(angle)
        c.save()
    finally:
        pdf.close()
    return angles


def scan_corpus(manifest: list[dict], out_dir, settings: ScanSettings) -> list[dict]:
    """Scans of every PDF in a factory manifest, each with a copy of its twin's truth (``file`` renamed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for rec in manifest:
        if rec.get("format") != "pdf":
            continue
        src = Path(rec["path"])
        dst = out / f"{src.stem}_scan{settings.dpi}.pdf"
        render_scan(src, dst, settings)
        truth = json.loads(Path(rec["truth_path"]).read_text(encoding="utf-8"))
        truth["file"] = dst.name
        truth["scan"] = {"twin": src.name, "settings": settings.label()}
        truth_path = dst.with_name(f"{dst.stem}.truth.json")
        truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        records.append({**rec, "path": str(dst), "truth_path": str(truth_path), "twin": str(src),
                        "scan": settings.label()})
    return records

