"""PDFs built at the same moment in one process (a gunicorn worker's threads) come out whole."""

from __future__ import annotations

import sys
import threading
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from app.core.pdf.styles import paragraph_styles, register_fonts
from tests.year_reports.reading import pdf_pages

THREADS = 8


def _document(n: int) -> bytes:
    """A page whose text uses many different glyphs, so its font subset is long to cut."""
    text = f"Dokument {n}: " + "".join(chr(c) for c in range(0x21, 0x17F) if chr(c).isalnum())
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph(text, paragraph_styles()["body"]) for _ in range(3)])
    return buffer.getvalue()


def test_pdfs_saved_at_the_same_moment_each_embed_their_own_glyphs():
    register_fonts()
    results: dict[int, bytes | BaseException] = {}
    start = threading.Barrier(THREADS)

    def build(n: int) -> None:
        start.wait()
        try:
            for round_ in range(3):
                results[n * 10 + round_] = _document(n)
        except BaseException as error:  # noqa: BLE001 - reported below
            results[n] = error

    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show at once
    try:
        threads = [threading.Thread(target=build, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switching)
    errors = [r for r in results.values() if isinstance(r, BaseException)]
    assert not errors, errors
    for key, pdf in results.items():
        assert pdf_pages(pdf)[0].startswith(f"Dokument {key // 10}: ")
