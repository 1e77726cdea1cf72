"""The ingest engine: bytes of a plain-text news file in, typed blocks and a readable body out.

Pure Python; nothing here imports Django. `decode` turns bytes into text (or refuses them),
`extract` splits the text into blocks and reads its metadata.
"""

from .decode import Decoded, IngestError, decode
from .extract import BODY_SEPARATOR, extract, reassemble
from .kinds import Kind
from .records import Block, Extraction, OutletSignature
from .text import Normalized, normalize_for_matching, sentence_spans

__all__ = [
    "BODY_SEPARATOR",
    "Block",
    "Decoded",
    "Extraction",
    "IngestError",
    "Kind",
    "Normalized",
    "OutletSignature",
    "decode",
    "extract",
    "normalize_for_matching",
    "reassemble",
    "sentence_spans",
]
