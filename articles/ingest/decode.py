"""Turning the bytes of a file into text, or refusing them with a reason a person can act on."""

import codecs
from dataclasses import dataclass, field


class IngestError(ValueError):
    """A file that cannot be imported; the message is one line, fit for a command-line error."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


# Control characters that never occur in a text file (tab, newlines and form feed are fine).
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}
_BINARY_SIGNATURES = (b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF")


def decode(data: bytes, *, max_bytes: int) -> Decoded:
    """Decode a plain-text file: UTF-8 first, then Windows-1252 with a warning.

    Refuses empty files, files over `max_bytes`, and binary files (NUL bytes, known binary
    signatures, or too many control characters).
    """
    if len(data) > max_bytes:
        raise IngestError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
    if not data.strip():
        raise IngestError("file is empty (no text to import)")
    if b"\x00" in data or data.startswith(_BINARY_SIGNATURES):
        raise IngestError("file is binary, not plain text")
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
            warnings.append(
                f"not valid UTF-8 (byte {exc.start}); decoded as {encoding}, check the quotes"
                " and accents"
            )
    control = sum(1 for char in text if char in _CONTROL)
    if control > max(3, len(text) // 100):
        raise IngestError("file is binary, not plain text (too many control characters)")
    if not text.strip():
        raise IngestError("file is empty (no text to import)")
    return Decoded(text=text, encoding=encoding, warnings=warnings)
