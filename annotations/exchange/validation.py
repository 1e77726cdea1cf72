"""Incoming annotations checked against every MUST assertion of the W3C Web Annotation test
suite (the schemas copied to annotations/w3c_schemas/)."""

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "w3c_schemas"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"


def _is_uri(value: object) -> bool:
    """An absolute IRI: RFC 3986 syntax once non-ASCII characters are percent-encoded."""
    if not isinstance(value, str):
        return True
    ascii_form = "".join(c if ord(c) < 128 else quote(c, safe="") for c in value)
    return validate_rfc3986(ascii_form, rule="URI") is not None


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return validate_rfc3339(value.upper())


def format_checker() -> FormatChecker:
    """The formats the suite's schemas use: "uri" (absolute IRI) and "date-time" (RFC 3339)."""
    checker = FormatChecker(formats=())
    checker.checks("uri")(_is_uri)
    checker.checks("date-time")(_is_datetime)
    return checker


@dataclass(frozen=True, slots=True)
class Assertion:
    """One assertion schema of the suite, ready to check documents."""

    name: str
    message: str
    validator: Draft4Validator

    def holds(self, document: Any) -> bool:
        return self.validator.is_valid(document)


@functools.cache
def load_assertions(root: Path = SCHEMA_DIR, test: str = ANNOTATION_MUSTS) -> tuple[Assertion, ...]:
    """The assertion schemas a suite `.test` file lists, with the suite's definitions loaded.

    The schemas `$ref` each other by bare file name ("id.json#/definitions/..."), so every file
    of `definitions/` is registered under its bare name.
    """
    registry = Registry().with_resources(
        (path.name, DRAFT4.create_resource(json.loads(path.read_text(encoding="utf-8"))))
        for path in sorted((root / "definitions").glob("*.json"))
    )
    checker = format_checker()
    names = json.loads((root / test).read_text(encoding="utf-8"))["assertions"]
    assertions = []
    for name in names:
        schema = json.loads((root / name).read_text(encoding="utf-8"))
        message = str(schema.get("errorMessage") or schema.get("title") or name)
        assertions.append(
            Assertion(
                name=name.rsplit("/", 1)[-1].removesuffix(".json"),
                message=message.removeprefix("ERROR:").strip(),
                validator=Draft4Validator(schema, registry=registry, format_checker=checker),
            )
        )
    return tuple(assertions)


def validation_errors(document: Any) -> list[str]:
    """Why the annotation fails the W3C MUST assertions: one line per failed assertion."""
    return [f"{a.name}: {a.message}" for a in load_assertions() if not a.holds(document)]
