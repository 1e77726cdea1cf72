"""Turning the bytes of a file into text, or refusing them with a reason a person can act on."""

import codecs
import re
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


# --- Saved HTML pages ----------------------------------------------------------------------

# A charset declared in the first bytes of a page: <meta charset=…>, <meta http-equiv=…
# content="…; charset=…">, or <?xml … encoding="…"?>. Bounded: each gap is at most 512 bytes.
_DECLARED_RE = re.compile(
    rb"<meta\b[^>]{0,512}?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})"
    rb"|<\?xml\b[^>]{0,512}?\bencoding\s*=\s*[\"']([A-Za-z0-9_.:-]{1,40})",
    re.IGNORECASE,
)
_SNIFF_BYTES = 4096
# Labels that browsers read as Windows-1252 (the WHATWG Encoding Standard does the same).
_AS_CP1252 = {"ascii", "latin-1", "iso8859-1", "iso-8859-1", "us-ascii"}
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the charset a page declares in its first 4 KiB, if known."""
    match = _DECLARED_RE.search(data[:_SNIFF_BYTES])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _mixed_utf8(data: bytes) -> tuple[str, int] | None:
    """Mostly UTF-8 with some Windows-1252 bytes (a page pasted together from two sources):
    the text with each stray byte read as Windows-1252, and how many there were; None when
    too few multi-byte UTF-8 sequences say the page is UTF-8 at all."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for char in text if ord(char) > 0x7F and char != "\ufffd")
    if multibyte < 2 or stray > 2 * multibyte:
        return None
    return data.decode("utf-8", errors="astana-cp1252"), stray


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the undecodable bytes as Windows-1252 (else Latin-1)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return "".join(_cp1252_char(byte) for byte in chunk), error.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return chr(byte)


codecs.register_error("astana-cp1252", _cp1252_fallback)


def decode_html(data: bytes, *, max_bytes: int) -> Decoded:
    """Decode a saved web page: its byte-order mark, else the charset it declares, else UTF-8,
    else the encoding charset-normalizer finds; each fallback says so in a warning.

    Refuses empty files, files over `max_bytes`, binary files, and bytes no encoding fits.
    """
    if len(data) > max_bytes:
        raise IngestError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
    if not data.strip():
        raise IngestError("file is empty (no page to import)")
    if data.startswith(_BINARY_SIGNATURES):
        raise IngestError("file is binary, not an HTML page")
    warnings: list[str] = []
    text, encoding = _html_text(data, warnings)
    if "\x00" in text or sum(1 for c in text[:100_000] if c in _CONTROL) > max(
        3, len(text[:100_000]) // 100
    ):
        raise IngestError("file is binary, not an HTML page")
    if not text.strip():
        raise IngestError("file is empty (no page to import)")
    return Decoded(text=text, encoding=encoding, warnings=warnings)


def _html_text(data: bytes, warnings: list[str]) -> tuple[str, str]:
    """The page's text and the encoding it was read in (see `decode_html`)."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", "its UTF-8 byte-order mark"), (
            "utf-8-sig"
        )
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, "its UTF-16 byte-order mark"), encoding
    if b"\x00" in data:
        raise IngestError("file is binary, not an HTML page")
    declared = declared_charset(data)
    if declared is not None:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            warnings.append(f"the page declares {declared} but is not valid {declared}")
        else:
            if declared == "utf-8" or not _is_utf8_text(data):
                return text, declared
            warnings.append(f"the page declares {declared} but its bytes are UTF-8; read as UTF-8")
            return data.decode("utf-8"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_utf8(data)
    if mixed is not None:
        text, stray = mixed
        warnings.append(
            f"mixed encodings: {stray} byte(s) not valid UTF-8 were read as Windows-1252;"
            " check the quotes and accents"
        )
        return text, "utf-8"
    import charset_normalizer  # only pages with no fitting charset need it (slow to import)

    guess = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if guess is None or guess.encoding is None:
        raise IngestError("the page's bytes fit no text encoding (mixed or broken encodings)")
    try:
        text = data.decode(guess.encoding)
    except (UnicodeDecodeError, LookupError):
        raise IngestError(
            "the page's bytes fit no text encoding (mixed or broken encodings)"
        ) from None
    warnings.append(f"no declared charset fits the page; its bytes read as {guess.encoding}")
    return text, guess.encoding


def _strict(data: bytes, encoding: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"the page is not valid {encoding} (byte {exc.start}) despite {why}"
        ) from None


def _is_utf8_text(data: bytes) -> bool:
    """Valid UTF-8 with multi-byte sequences in it (pure ASCII reads the same either way)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(char) > 0x7F for char in text)
