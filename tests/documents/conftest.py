import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
REAL = CORPUS / "real"
SEED = CORPUS / "seed"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def pytest_configure(config):
    config.addinivalue_line("markers", "real_corpus: reads the shared real corpus (skipped when it is absent)")


@pytest.fixture(scope="session")
def cjk_font_name():
    """Register a CJK TrueType font with reportlab so generated PDFs carry real Chinese text."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if CJK_FONT.exists():
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
        return "WQY"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def need_soffice():
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) not installed: legacy .doc conversion cannot be tested")


def need_tesseract():
    from extractors.documents.ocr import tesseract_available

    if not tesseract_available():
        pytest.skip("tesseract with chi_sim not installed: OCR cannot be tested")
