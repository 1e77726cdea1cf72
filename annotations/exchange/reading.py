"""Reading a file to import: an AnnotationCollection, an AnnotationPage, a list of annotations
or one annotation, as parsed JSON or as text, into the annotations it holds and the claims it
defines (under "astana:claims"). Only embedded pages are read: nothing is fetched."""

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from astana.text import unencodable_at

from .jsonld import CLAIMS_KEY
from .report import Refusal


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def on_host(iri: Any, local_host: str | None) -> bool:
    """Whether the IRI names something on this site's host (`local_host`; None: unknown)."""
    return (
        local_host is not None
        and isinstance(iri, str)
        and urlparse(iri).netloc.lower() == local_host
    )


@dataclass(slots=True)
class Item:
    """One annotation of the file: its id there (else its place), as read, and its IRI."""

    ref: str
    data: dict
    iri: str | None


@dataclass(slots=True)
class ImportFile:
    """What a file holds: its annotations, its claims by IRI, and what could not be read."""

    items: list[Item] = field(default_factory=list)
    claims: dict[str, dict] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)


def read_file(data: Any) -> ImportFile:
    """The annotations and claims of a file, in the file's order."""
    reader = _Reader()
    reader.read(data)
    return reader.file


class _Reader:
    def __init__(self) -> None:
        self.file = ImportFile()
        self._count = 0

    def _refuse(self, ref: str, reason: str) -> None:
        self.file.refused.append(Refusal(ref, reason))

    def read(self, data: Any) -> None:
        if isinstance(data, bytes | str):
            try:
                data = json.loads(data)
            except ValueError as error:
                self._refuse("file", f"Not JSON: {error}.")
                return
        where = unencodable_at(data)
        if where is not None:  # no database can store it: refuse the file before reading it
            self._refuse("file", f"Text is not valid Unicode: {where}.")
            return
        if isinstance(data, list):
            for element in data:
                self._add(element, None)
            return
        if not isinstance(data, dict):
            self._refuse("file", "Not an annotation, page or collection.")
            return
        self._add_claims(data)
        types = as_list(data.get("type"))
        if "AnnotationCollection" in types:
            self._read_collection(data)
        elif "AnnotationPage" in types:
            self._read_page(data, data.get("@context"))
        else:
            self._add(data, None)

    def _read_collection(self, collection: dict) -> None:
        context = collection.get("@context")
        page = collection.get("first")
        ref = str(collection.get("id") or "collection")
        seen: set[int] = set()
        while page is not None:
            if not isinstance(page, dict):
                self._refuse(
                    str(page),
                    "This page of the collection is a link, not embedded; only embedded "
                    "pages are imported (nothing is fetched).",
                )
                return
            if id(page) in seen:
                return
            seen.add(id(page))
            self._add_claims(page)
            self._read_page(page, context)
            page = page.get("next")
        if not self.file.items and collection.get("total"):
            self._refuse(ref, "The collection has no embedded page.")

    def _read_page(self, page: dict, context: Any) -> None:
        items = page.get("items")
        if not isinstance(items, list):
            self._refuse(str(page.get("id") or "page"), "The page has no list of items.")
            return
        for element in items:
            self._add(element, page.get("@context", context))

    def _add(self, element: Any, context: Any) -> None:
        self._count += 1
        position = f"item {self._count}"
        if not isinstance(element, dict):
            self._refuse(position, "Not a JSON object.")
            return
        if context is not None and "@context" not in element:
            element = {"@context": context, **element}  # embedded items inherit the context
        iri = element.get("id") if isinstance(element.get("id"), str) else None
        self.file.items.append(Item(ref=iri or position, data=element, iri=iri))

    def _add_claims(self, container: dict) -> None:
        for claim in as_list(container.get(CLAIMS_KEY)):
            if isinstance(claim, dict) and isinstance(claim.get("id"), str):
                self.file.claims[claim["id"]] = claim
