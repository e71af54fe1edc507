"""Helpers to read back what a PDF shows."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squash(text: str) -> str:
    """Text without whitespace: table cells wrap, so a sentence may span several lines."""
    return re.sub(r"\s+", "", text)


def unembedded_fonts(path: Path) -> list[str]:
    """Names of fonts used on any page that carry no embedded font program."""
    missing: list[str] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        for resources in _all_resources(page.get("/Resources")):
            fonts = resources.get("/Font")
            if fonts is None:
                continue
            for name, ref in fonts.get_object().items():
                font = ref.get_object()
                if not _embedded(font):
                    missing.append(f"page {number}: {name} {font.get('/BaseFont')}")
    return missing


def font_count(path: Path) -> int:
    count = 0
    for page in PdfReader(path).pages:
        for resources in _all_resources(page.get("/Resources")):
            fonts = resources.get("/Font")
            count += len(fonts.get_object()) if fonts is not None else 0
    return count


def _all_resources(resources: object, seen: set[int] | None = None) -> list[DictionaryObject]:
    """Page resources and those of the form XObjects they use (stamps, annotations)."""
    seen = seen if seen is not None else set()
    if resources is None:
        return []
    res = resources.get_object()  # type: ignore[attr-defined]
    if id(res) in seen:
        return []
    seen.add(id(res))
    found = [res]
    xobjects = res.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form":
                found += _all_resources(xobj.get("/Resources"), seen)
    return found


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        return _embedded(descendant)
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
