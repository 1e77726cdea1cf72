"""The plain records the ingest engine takes and returns."""

from dataclasses import dataclass, field

from .kinds import Kind


@dataclass(frozen=True, slots=True)
class OutletSignature:
    """How to recognise an outlet in a file: its key and the phrases that identify it."""

    key: str
    name: str
    signatures: tuple[str, ...]
    is_agency: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    start: int  # span in the raw text, code points
    end: int
    rule: str
    text: str
    author: str = ""
    in_body: bool = False
    body_start: int | None = None
    body_end: int | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    blocks: list[Block]
    body: str
    title: str
    title_derived: bool
    dateline: str
    credits: list[str]
    outlet_key: str | None
    outlet_rule: str
    language: str
    word_count: int
    warnings: list[str] = field(default_factory=list)
