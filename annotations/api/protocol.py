"""The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/) around the
annotation views: the headers it asks of containers and annotations, conditional GETs,
the client's preferences, and the JSON-LD context document for our extension keys.

- Every response of the container (/api/annotations/) has `Link` (ldp#BasicContainer as its
  type; constrainedBy the protocol), `Accept-Post`, `Allow` (DRF) and `Vary: Accept, Prefer,
  Cookie` (5.1); every response of an annotation has `Link` (ldp#Resource), `Allow` and
  `Vary: Accept, Cookie` (4).
- GET with `If-None-Match` naming the current ETag answers 304 Not Modified, without a body.
- `Prefer: return=representation; include="..."` (5.2): PreferContainedIRIs,
  PreferContainedDescriptions, ldp#PreferMinimalContainer ask for the container itself; the
  answer says which was applied (`Preference-Applied`).
"""

import hashlib
import json
import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import Annotation
from ..services import AnnotationInvalid
from ..w3c import ANNO_CONTEXT, EXTENSION_TERMS, ParsedAnnotation, context_iri

LDP = "http://www.w3.org/ns/ldp#"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
PROTOCOL = "http://www.w3.org/TR/annotation-protocol/"
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
CONTAINER_LINKS = f'<{LDP}BasicContainer>; rel="type", <{PROTOCOL}>; rel="{LDP}constrainedBy"'
RESOURCE_LINKS = f'<{LDP}Resource>; rel="type"'

PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
PREFER_MINIMAL = f"{LDP}PreferMinimalContainer"
MAX_PREFER = 2_000  # a longer Prefer header is ignored, not parsed


class ContainerHeaders:
    """Mixin for the container's view: the protocol's headers on every response."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = CONTAINER_LINKS
        response["Accept-Post"] = ANNO_MEDIA_TYPE
        patch_vary_headers(response, ("Accept", "Prefer", "Cookie"))
        return response


class ResourceHeaders:
    """Mixin for an annotation's view: the protocol's headers on every response."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = RESOURCE_LINKS
        patch_vary_headers(response, ("Accept", "Cookie"))
        return response


def body_etag(data: object) -> str:
    """A weak ETag for a representation built in memory (the container's pages)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return f'W/"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


def not_modified(request: Request, etag: str) -> bool:
    """Whether If-None-Match names the representation the client has (weak comparison)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def not_modified_response(etag: str) -> Response:
    return Response(status=304, headers={"ETag": etag})


@dataclass(frozen=True, slots=True)
class Preference:
    """What the client asked of the container with Prefer (5.2); None: no preference."""

    include: str | None  # PREFER_IRIS, PREFER_DESCRIPTIONS or PREFER_MINIMAL

    @property
    def container(self) -> bool:
        return self.include is not None

    @property
    def iris(self) -> bool:
        return self.include == PREFER_IRIS

    @property
    def minimal(self) -> bool:
        return self.include == PREFER_MINIMAL


_INCLUDE = re.compile(r'include\s*=\s*"([^"]{0,1000})"')


def preference(request: Request) -> Preference:
    header = request.headers.get("Prefer", "")
    if not header or len(header) > MAX_PREFER or "return=representation" not in header:
        return Preference(None)
    asked: list[str] = []
    for match in _INCLUDE.finditer(header):
        asked += match.group(1).split()
    for iri in (PREFER_MINIMAL, PREFER_IRIS, PREFER_DESCRIPTIONS):
        if iri in asked:
            return Preference(iri)
    return Preference(None)


def applied(response: Response, chosen: Preference) -> Response:
    if chosen.container:
        response["Preference-Applied"] = "return=representation"
    return response


def container(page: dict, *, absolute, last: str, minimal: bool) -> dict:
    """The container itself (5.1, 5.3): an ldp BasicContainer and AnnotationCollection with its
    total, its first page (embedded, or its IRI only for the minimal container) and last."""
    data = {
        "@context": [ANNO_CONTEXT, LDP_CONTEXT, context_iri(absolute)],
        "id": page["partOf"]["id"],
        "type": ["BasicContainer", "AnnotationCollection"],
        "total": page["partOf"]["total"],
    }
    if data["total"]:
        first = {k: v for k, v in page.items() if k not in {"@context", "partOf"}}
        data["first"] = page["id"] if minimal else first
        data["last"] = last
    return data


def refuse_target_change(parsed: ParsedAnnotation, annotation: Annotation) -> None:
    """A PUT replaces what was said of a passage, never which passage: a target naming another
    article, thread, quote or span is refused (400) rather than silently ignored. To annotate
    other words, create a new annotation (a curator re-attaches an orphan on the reader's
    page)."""
    changed: list[str] = []
    if annotation.parent_id is not None:
        if parsed.reply_to != annotation.parent_id:
            changed.append("the annotation it replies to")
    elif parsed.reply_to is not None:
        changed.append("a passage made a reply")
    else:
        if parsed.article_slug is not None and parsed.article_slug != annotation.article.slug:
            changed.append("the article")
        if parsed.exact is not None and parsed.exact != annotation.exact:
            changed.append("the quote (TextQuoteSelector)")
        span = (parsed.start, parsed.end)
        if parsed.start is not None and span != (annotation.start, annotation.end):
            changed.append("the position (TextPositionSelector)")
        if getattr(parsed, "page_note", False) != getattr(annotation, "is_page_note", False):
            changed.append("a page note made a passage, or a passage a page note")
    if changed:
        raise AnnotationInvalid(
            {
                "target": [
                    "The target cannot be changed by PUT (it changes "
                    + ", ".join(changed)
                    + "). Send the target as it is, or create a new annotation."
                ]
            }
        )


# --- The context document -------------------------------------------------------------------


def context_document(absolute) -> dict:
    """JSON-LD terms for the keys our annotations add to the W3C model."""
    terms: dict[str, object] = {
        "astana": context_iri(absolute) + "#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
    terms.update(EXTENSION_TERMS)
    return {"@context": terms}


@require_safe
def context_view(request: HttpRequest) -> HttpResponse:
    """/api/ns/astana.jsonld: the JSON-LD context of our extension keys."""
    data = context_document(request.build_absolute_uri)
    etag = body_etag(data)
    if request.headers.get("If-None-Match", "").strip() == etag:
        return HttpResponse(status=304, headers={"ETag": etag})
    return HttpResponse(
        json.dumps(data, indent=2),
        content_type="application/ld+json",
        headers={"ETag": etag, "Cache-Control": "public, max-age=86400"},
    )
