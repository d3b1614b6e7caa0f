"""OCR engines behind one interface: PP-OCRv4 on onnxruntime (RapidOCR's wheel) and tesseract chi_sim.

An engine does two things for the page code in ``ocr``:

- ``read_page(gray)``: detect and read every text line of a page image → ``Word`` boxes (pixels);
- ``read_lines(crops)``: read single text lines already cut out (table cells), in batches → ``Reading``s,
  each with its best text, a confidence in [0, 1] and, where the engine can say, alternative readings ranked
  by probability (the arithmetic check in ``ocr_check`` chooses among them).

PP-OCR's models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing is downloaded at run time.
onnxruntime is capped at ``threads`` intra-op threads (default 2) with one inter-op thread: parallel staging
workers must not each grab every core.
"""
from __future__ import annotations

import csv
import heapq
import io
import math
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEFAULT_ENGINE = "ppocr"
ENGINES = ("ppocr", "tesseract")


@dataclass
class Word:
    text: str
    box: tuple[int, int, int, int]  # x0, top, x1, bottom in page pixels
    conf: float  # 0..1
    line: tuple = ()  # words of one text line share a key


@dataclass
class Reading:
    text: str
    conf: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # (text, probability), best first


class OcrFailed(Exception):
    pass


def default_engine_name() -> str:
    name = os.environ.get("JUESUAN_OCR_ENGINE", DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise ValueError(f"JUESUAN_OCR_ENGINE={name!r}: choose one of {', '.join(ENGINES)}")
    return name


def ocr_threads() -> int:
    """onnxruntime intra-op threads per document: 2 unless JUESUAN_OCR_THREADS says otherwise."""
    try:
        return max(1, int(os.environ.get("JUESUAN_OCR_THREADS", "2")))
    except ValueError:
        return 2


_ENGINES: dict[tuple[str, int], object] = {}


def get_engine(name: str | None = None):
    """The named engine (cached per process: PP-OCR's sessions take ~0.2 s to build), or None if unavailable."""
    name = name or default_engine_name()
    key = (name, ocr_threads())
    if key not in _ENGINES:
        cls = {"ppocr": PpOcrEngine, "tesseract": TesseractEngine}[name]
        _ENGINES[key] = cls(threads=key[1]) if cls.available() else None
    return _ENGINES[key]


def _gray3(gray: np.ndarray) -> np.ndarray:
    return np.repeat(gray[:, :, None], 3, axis=2)


def _session(model: Path, threads: int):
    """The same model in a session tuned for many input shapes: every batch of line crops has its own width, and
    with RapidOCR's options (memory arena off, memory pattern on) onnxruntime plans memory afresh for each new
    shape — in a fresh process that planning cost more than the inference (bench/bench_ocr.py; issue 14)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.enable_cpu_mem_arena = True
    opts.enable_mem_pattern = False
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    # idle threads sleep instead of spinning: parallel workers share 2 cores
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])


class PpOcrEngine:
    name = "ppocr"
    # detection runs on the page shrunk to this longest side (~100 dpi for A4, plenty for finding 9-pt lines);
    # recognition reads the full-resolution crops
    DET_SIDE = 1280

    @staticmethod
    def available() -> bool:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            return False
        return True

    def __init__(self, threads: int = 2):
        import rapidocr_onnxruntime
        from rapidocr_onnxruntime import RapidOCR

        self.ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, use_cls=False,
                            print_verbose=False, det_limit_type="max",
                            det_limit_side_len=int(os.environ.get("JUESUAN_OCR_DET_SIDE", self.DET_SIDE)))
        self.rec = self.ocr.text_rec
        models = Path(rapidocr_onnxruntime.__file__).parent / "models"
        self.ocr.text_det.infer.session = _session(models / "ch_PP-OCRv4_det_infer.onnx", threads)
        self.rec.session.session = _session(models / "ch_PP-OCRv4_rec_infer.onnx", threads)
        self.chars = self.rec.postprocess_op.character
        self.batch = 6  # larger batches were slower on this 2-core machine (padding, cache)

    MAX_RATIO = 12  # longest piece of a line read at once, in line heights (measured: 12 fastest of 8/12/16/∞)

    def read_page(self, gray: np.ndarray, deadline: float | None = None) -> list[Word]:
        img = _gray3(gray)
        boxes, _ = self.ocr.text_det(img)
        if boxes is None or len(boxes) == 0:
            return []
        boxes = self.ocr.sorted_boxes(boxes)
        crops, rects = [], []
        h, w = gray.shape
        for b in boxes:
            x0, y0 = max(int(np.floor(b[:, 0].min())), 0), max(int(np.floor(b[:, 1].min())), 0)
            x1, y1 = min(int(np.ceil(b[:, 0].max())), w), min(int(np.ceil(b[:, 1].max())), h)
            if x1 - x0 < 3 or y1 - y0 < 3:
                continue
            crops.append(gray[y0:y1, x0:x1])
            rects.append((x0, y0, x1, y1))
        words = []
        for k, (r, rect) in enumerate(zip(self.read_lines(crops, deadline=deadline), rects)):
            if r.text.strip():
                words.append(Word(r.text, rect, r.conf, ("det", k)))
        return words

    def read_lines(self, crops: list[np.ndarray], alternatives: bool = False,
                   deadline: float | None = None) -> list[Reading]:
        """Batched recognition of line crops (grey). A long text line is read in pieces cut between two whole
        glyphs: the recogniser's cost grows faster than the line's width (narrative lines at ~40× their
        height took half a page's time), and a cut in a glyph-wide gap changes no character."""
        pieces, owner = [], []
        for i, crop in enumerate(crops):
            for piece in split_long_line(crop, self.MAX_RATIO):
                pieces.append(piece)
                owner.append(i)
        if len(pieces) == len(crops):
            return self._read_pieces(crops, alternatives, deadline)
        parts: list[list[Reading]] = [[] for _ in crops]
        for i, r in zip(owner, self._read_pieces(pieces, alternatives, deadline)):
            parts[i].append(r)
        return [p[0] if len(p) == 1 else _joined(p) for p in parts]

    def _read_pieces(self, crops: list[np.ndarray], alternatives: bool, deadline: float | None) -> list[Reading]:
        """Widths are sorted so a batch pads little."""
        out: list[Reading | None] = [None] * len(crops)
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(crops[i].shape[0], 1))
        for start in range(0, len(order), self.batch):
            if deadline is not None and time.monotonic() > deadline:
                raise OcrFailed("OCR time budget exhausted")
            idx = order[start: start + self.batch]
            # the model takes any width: pad a batch only to its widest crop, not to 320 px (short amounts
            # are most of a table, and the cost grows with width)
            ratio = max([1.5] + [crops[i].shape[1] / max(crops[i].shape[0], 1) for i in idx])
            batch = np.concatenate([self.rec.resize_norm_img(_gray3(crops[i]), ratio)[None] for i in idx])
            preds = self.rec.session(batch.astype(np.float32))[0]
            for i, p in zip(idx, preds):
                out[i] = self._decode(p, alternatives)
        return [r or Reading("", 0.0) for r in out]

    def _decode(self, probs: np.ndarray, alternatives: bool) -> Reading:
        """CTC best path; with ``alternatives``, the next most probable readings of its uncertain characters."""
        best = probs.argmax(axis=1)
        segs = []  # (character index, probability, runner-up (index, probability)) per emitted character
        prev = 0
        for t, k in enumerate(best):
            if k != 0 and k != prev:
                row = probs[t].copy()
                row[k] = -1.0  # the runner-up is the best of the rest (an argsort per frame cost ~3% of a page)
                second = int(row.argmax())
                row = probs[t]
                segs.append([int(k), float(row[k]), (second, float(row[second]))])
            elif k != 0 and k == prev:
                segs[-1][1] = max(segs[-1][1], float(probs[t][k]))
            prev = k
        text = "".join(self.chars[k] for k, _, _ in segs)
        conf = float(np.mean([p for _, p, _ in segs])) if segs else 0.0
        reading = Reading(text, conf)
        if alternatives and segs:
            reading.alternatives = self._alternatives(segs)
        return reading

    def _alternatives(self, segs: list, limit: int = 6) -> list[tuple[str, float]]:
        # characters whose runner-up is plausible: swap (or drop, when the runner-up is the CTC blank)
        doubtful = [(i, alt) for i, (_, p, alt) in enumerate(segs) if alt[1] > 0.02 and p < 0.995]
        doubtful = sorted(doubtful, key=lambda d: -d[1][1])[:6]
        base = sum(math.log(max(p, 1e-9)) for _, p, _ in segs)
        cands = []
        for mask in range(1, 1 << len(doubtful)):
            chosen = [doubtful[j] for j in range(len(doubtful)) if mask >> j & 1]
            lp = base + sum(math.log(max(alt[1], 1e-9)) - math.log(max(segs[i][1], 1e-9)) for i, alt in chosen)
            swap = {i: alt[0] for i, alt in chosen}
            text = "".join("" if swap.get(i) == 0 else self.chars[swap.get(i, k)] for i, (k, _, _) in enumerate(segs))
            cands.append((lp, text))
        best = heapq.nlargest(limit, cands)
        return [(t, math.exp(lp)) for lp, t in best]


def split_long_line(crop: np.ndarray, max_ratio: float) -> list[np.ndarray]:
    """Cut a text line longer than ``max_ratio`` heights into pieces. Each cut goes in the widest blank gap,
    between half and all of ``max_ratio`` heights, whose neighbours are both whole CJK glyphs: ink runs about
    a line height wide and as tall as the line's tallest ink. So a cut never falls inside a character (川, 北
    have gaps), after narrow punctuation (its reading depends on the next glyph), or beside digits (shorter
    than CJK; touching digits can look glyph-wide), where a piece starting '1,533' was read '1.533'.
    A line with no such gap stays whole."""
    h, w = crop.shape[:2]
    if w <= h * max_ratio:
        return [crop]
    ink = crop < 160
    edges = np.flatnonzero(np.diff(np.r_[0, ink.any(axis=0).astype(np.int8), 0]))
    runs = []
    for a, b in zip(edges[::2], edges[1::2]):
        rows = np.flatnonzero(ink[:, a:b].any(axis=1))
        runs.append((a, b, rows[-1] - rows[0] + 1))
    tall = 0.88 * max(r[2] for r in runs)
    lo, hi = h * max_ratio * 0.5, h * max_ratio

    def glyph(run) -> bool:
        return run[1] - run[0] >= 0.6 * h and run[2] >= tall

    best = None
    for left, right in zip(runs, runs[1:]):
        gap = right[0] - left[1]
        if left[1] >= lo and right[0] <= hi and glyph(left) and glyph(right) and (best is None or gap > best[0]):
            best = (gap, (left[1] + right[0]) // 2)
    if best is None:
        return [crop]
    return [crop[:, :best[1]], *split_long_line(crop[:, best[1]:], max_ratio)]


def _joined(parts: list[Reading]) -> Reading:
    """One line's reading from its pieces' readings; the confidence weighs each piece by its characters."""
    text = "".join(r.text for r in parts)
    n = sum(len(r.text) for r in parts)
    conf = sum(r.conf * len(r.text) for r in parts) / n if n else 0.0
    return Reading(text, conf)


class TesseractEngine:
    """tesseract chi_sim as a subprocess; cell crops are stacked on sheets so one call reads many cells."""

    name = "tesseract"
    _GAP = 24
    _SHEET_MAX_H = 12000  # taller sheets are split (tesseract slows down and leptonica caps image size)

    @staticmethod
    def available() -> bool:
        if not shutil.which("tesseract"):
            return False
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
        return "chi_sim" in out.stdout

    def __init__(self, threads: int = 2):
        self.env = {**os.environ, "OMP_THREAD_LIMIT": str(threads)}

    def _tsv(self, gray: np.ndarray, deadline: float | None) -> list[Word]:
        from PIL import Image

        timeout = max((deadline - time.monotonic()) if deadline else 60.0, 1.0)
        with tempfile.TemporaryDirectory(prefix="juesuan-tess-") as tmp:
            img = Path(tmp) / "p.png"
            Image.fromarray(gray).save(img)
            try:
                out = subprocess.run(["tesseract", str(img), "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
                                     capture_output=True, text=True, timeout=timeout, check=False, env=self.env)
            except subprocess.TimeoutExpired as e:
                raise OcrFailed("OCR timed out") from e
        if out.returncode != 0:
            raise OcrFailed(f"tesseract failed ({out.stderr.strip()[-200:]})")
        return tsv_words(out.stdout)

    def read_page(self, gray: np.ndarray, deadline: float | None = None) -> list[Word]:
        return self._tsv(gray, deadline)

    def read_lines(self, crops: list[np.ndarray], alternatives: bool = False,
                   deadline: float | None = None) -> list[Reading]:
        texts: list[list[Word]] = [[] for _ in crops]
        start = 0
        while start < len(crops):
            height, end = self._GAP, start
            while end < len(crops) and (end == start or height + crops[end].shape[0] + self._GAP <= self._SHEET_MAX_H):
                height += crops[end].shape[0] + self._GAP
                end += 1
            width = max(c.shape[1] for c in crops[start:end]) + 2 * self._GAP
            sheet = np.full((height, width), 255, dtype=np.uint8)
            slots, y = [], self._GAP
            for c in crops[start:end]:
                sheet[y: y + c.shape[0], self._GAP: self._GAP + c.shape[1]] = c
                slots.append((y, y + c.shape[0]))
                y += c.shape[0] + self._GAP
            for w in self._tsv(sheet, deadline):
                cy = (w.box[1] + w.box[3]) / 2
                k = next((j for j, (a, b) in enumerate(slots) if a - self._GAP / 2 <= cy < b + self._GAP / 2), None)
                if k is not None:
                    texts[start + k].append(w)
            start = end
        out = []
        for ws in texts:
            ws.sort(key=lambda w: w.box[0])
            conf = min((w.conf for w in ws), default=0.0)
            out.append(Reading("".join(w.text for w in ws), conf))
        return out


def tsv_words(tsv: str) -> list[Word]:
    """Tesseract TSV → words (confidence scaled to 0..1); empty and non-word rows dropped."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            conf = float(row.get("conf") or -1)
            left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        except (ValueError, TypeError, KeyError):
            continue
        if conf < 0:
            continue
        words.append(Word(text, (left, top, left + width, top + height), conf / 100,
                          (row["block_num"], row["par_num"], row["line_num"])))
    return words
