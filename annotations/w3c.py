"""Annotations in the W3C Web Annotation shape (JSON-LD), and back.

`to_w3c` gives the representation the API serves and the exporter writes; `parse_w3c` reads
one (from our clients or other tools) into the fields the services take, with a message per
field for anything wrong. IRIs are built with a `absolute(path)` function given by the caller.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeIs
from urllib.parse import urlparse

from django.urls import Resolver404, resolve, reverse

from . import revision_state
from .models import Annotation, Claim, ClaimStance, Motivation
from .services import AnnotationInvalid

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# Our keys beyond the W3C model, as JSON-LD terms (the context document /api/ns/astana.jsonld;
# "astana:" is that document's IRI with "#"). Each key to_w3c, the exporter or the API adds
# must be here (tests/annotations/test_protocol.py checks).
EXTENSION_TERMS: dict[str, Any] = {
    "colour": "astana:colour",
    "visibility": "astana:visibility",
    "group": "astana:group",
    "anchorStatus": "astana:anchorStatus",
    "anchorScore": {"@id": "astana:anchorScore", "@type": "xsd:double"},
    "revision": {"@id": "astana:revision", "@type": "xsd:nonNegativeInteger"},
    "hidden": {"@id": "astana:hidden", "@type": "xsd:boolean"},
    "claim": {"@id": "astana:claim", "@type": "@id"},
    "claimStance": "astana:claimStance",
    "originalCreator": {"@id": "astana:originalCreator", "@type": "@id"},
    "warning": "astana:warning",
    "astana:claims": {"@container": "@set"},
    "pk": "astana:pk",
    "text": "astana:text",
    "claimant": "astana:claimant",
    "kind": "astana:kind",
    "rating": "astana:rating",
    "reviewer_notes": "astana:reviewerNotes",
    "tags": {"@id": "astana:tags", "@container": "@set"},
    "reviewed_by": "astana:reviewedBy",
    "reviewed_at": {"@id": "astana:reviewedAt", "@type": "xsd:dateTime"},
    "created_by": "astana:createdBy",
}
SERVER_SET = ("id", "creator", "created", "modified", "anchorStatus", "anchorScore", "hidden")

Absolute = Callable[[str], str]


def group_iri(absolute: Absolute, slug: str) -> str:
    return absolute(reverse("annotations:group-detail", kwargs={"slug": slug}))


def context_iri(absolute: Absolute) -> str:
    return absolute(reverse("api:context"))


def contexts(absolute: Absolute) -> list[str]:
    """The @context of our documents: the W3C model's first, then our extension keys'."""
    return [ANNO_CONTEXT, context_iri(absolute)]


def article_iri(absolute: Absolute, slug: str) -> str:
    return absolute(reverse("articles:detail", args=[slug]))


def annotation_iri(absolute: Absolute, pk: int) -> str:
    return absolute(reverse("api:annotation-detail", args=[pk]))


def claim_iri(absolute: Absolute, pk: int) -> str:
    return absolute(reverse("api:claim-detail", args=[pk]))


def to_w3c(
    annotation: Annotation,
    absolute: Absolute,
    *,
    context: bool = True,
    tags: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The W3C JSON-LD representation of one annotation. Its tags must be prefetched, or
    their names given as `tags` (by a writer that has just set them)."""
    bodies: list[dict[str, Any]] = []
    if annotation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/markdown",
                "purpose": "replying" if annotation.parent_id else "commenting",
            }
        )
    if tags is None:
        tags = (tag.name for tag in annotation.tags.all())
    for tag in sorted(tags):
        bodies.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
    disputes = annotation.claim_stance == ClaimStance.DISPUTES
    if annotation.claim_id and (claim := annotation.claim) is not None:
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "assessing",
                "source": claim_iri(absolute, claim.pk),
            }
        )
        # The assessment itself: the claim as carried, or as disputed by this passage.
        said = f"{claim.text} (rated {claim.get_rating_display().lower()})"
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": f"Disputes the claim: {said}" if disputes else said,
            }
        )
    if annotation.parent_id:
        target: Any = annotation_iri(absolute, annotation.parent_id)
    elif annotation.is_page_note:  # the whole article: its IRI, no selector
        target = {
            "type": "SpecificResource",
            "source": article_iri(absolute, annotation.article.slug),
        }
    else:
        target = {
            "type": "SpecificResource",
            "source": article_iri(absolute, annotation.article.slug),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": annotation.exact,
                    "prefix": annotation.prefix,
                    "suffix": annotation.suffix,
                },
                {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
            ],
        }
    if isinstance(target, dict) and "selector" in target and revision_state.needs_state(annotation):
        target["state"] = revision_state.revision_state(annotation, absolute)
    data: dict[str, Any] = {}
    if context:
        data["@context"] = contexts(absolute)
    data.update(
        {
            "id": annotation_iri(absolute, annotation.pk),
            "type": "Annotation",
            "motivation": annotation.motivation,
            "created": annotation.created.isoformat(),
            "modified": annotation.modified.isoformat(),
            "creator": {"type": "Person", "nickname": annotation.creator.get_username()},
        }
    )
    if bodies:
        data["body"] = bodies
    data["target"] = target
    data.update(
        {
            "colour": annotation.colour,
            "visibility": annotation.visibility,
            "anchorStatus": annotation.anchor_status,
            "anchorScore": round(annotation.anchor_score, 4),
            "revision": annotation.anchor_revision.number,
            "hidden": annotation.is_hidden,
        }
    )
    if annotation.group_id is not None:
        # The W3C model's audience: the group whose members alone see it (its page's IRI).
        group = annotation.group
        assert group is not None  # a group id names a group (a foreign key)
        data["group"] = group.slug
        data["audience"] = {"id": group_iri(absolute, group.slug), "type": "schema:Audience"}
    if annotation.claim_id:
        data["claim"] = claim_iri(absolute, annotation.claim_id)
        data["claimStance"] = annotation.claim_stance
    if annotation.canonical:  # given by a client or a file: kept unchanged (W3C protocol 5.1)
        data["canonical"] = annotation.canonical
    if annotation.foreign_id and annotation.foreign_id != annotation.canonical:
        data["via"] = annotation.foreign_id  # where it came from, so a re-import updates it
    if annotation.foreign_creator:
        data["originalCreator"] = annotation.foreign_creator
    return data


@dataclass(slots=True)
class ParsedAnnotation:
    """What a W3C annotation asks for, in our terms (references not yet resolved)."""

    motivation: str
    note: str = ""
    tags: list[str] = field(default_factory=list)
    article_slug: str | None = None
    reply_to: int | None = None
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    claim_id: int | None = None
    claim_stance: str | None = None  # "supports" or "disputes"; None: not said
    colour: str | None = None
    visibility: str | None = None
    group_slug: str | None = None  # "group", or the audience's IRI when it is a group here
    page_note: bool = False  # the target is the whole article (no selector)

    def said(self, *, claim: Any, group: Any = None) -> dict[str, Any]:
        """What the annotation says, as annotation_create's keywords, with the defaults a new
        annotation gets (yellow, public) where the record is silent; `group`: the group the
        record names, resolved by the caller (services.group_named)."""
        return {
            "note": self.note,
            "colour": self.colour or "yellow",
            "visibility": self.visibility or ("group" if group is not None else "public"),
            "group": group,
            "tags": self.tags,
            "claim": claim,
            "claim_stance": (self.claim_stance or "supports") if claim else "supports",
        }


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _is_int(value: object) -> TypeIs[int]:
    """An integer, and not a boolean (which JSON keeps apart)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _path_of(iri: Any) -> str | None:
    if not isinstance(iri, str) or not iri:
        return None
    return urlparse(iri).path or None


def resolve_iri(iri: Any, *names: str, base: str | None = None) -> dict[str, Any] | None:
    """The URL kwargs if the IRI names one of our URL patterns (on our host), else None."""
    path = _path_of(iri)
    if path is None:
        return None
    if base is not None:
        host = urlparse(iri).netloc
        if host and host.lower() != urlparse(base).netloc.lower():
            return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs if match.view_name in names else None


def claim_id_from(value: Any, base: str | None = None) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    kwargs = resolve_iri(value, "api:claim-detail", base=base)
    return int(kwargs["pk"]) if kwargs else None


def parse_w3c(
    data: Any, *, require_our_source: bool = True, base: str | None = None
) -> ParsedAnnotation:
    """Read a W3C annotation; AnnotationInvalid with a message per field when it is wrong.

    With `base` (this site's root IRI), IRIs on other hosts never count as ours.
    """
    if not isinstance(data, dict):
        raise AnnotationInvalid({"non_field_errors": ["Send one annotation as a JSON object."]})
    errors: dict[str, list[str]] = {}
    kind = data.get("type", "Annotation")
    if "Annotation" not in _as_list(kind):
        errors.setdefault("type", []).append('The type must be "Annotation".')
    motivations = _as_list(data.get("motivation", Motivation.HIGHLIGHTING))
    motivation = motivations[0] if motivations else Motivation.HIGHLIGHTING
    if not isinstance(motivation, str) or motivation.removeprefix("oa:") not in Motivation.values:
        errors.setdefault("motivation", []).append(
            f"Choose one of: {', '.join(Motivation.values)}."
        )
        motivation = Motivation.HIGHLIGHTING
    parsed = ParsedAnnotation(motivation=motivation.removeprefix("oa:"))

    for body in _as_list(data.get("body")):
        if isinstance(body, str):
            continue  # an external resource as body: nothing of ours to read from it
        if not isinstance(body, dict):
            errors.setdefault("body", []).append("Each body must be an object or an IRI.")
            continue
        purpose = body.get("purpose")
        value = body.get("value")
        if purpose == "assessing":
            parsed.claim_id = claim_id_from(body.get("source"), base) or parsed.claim_id
            continue
        if value is None:
            continue
        if not isinstance(value, str):
            errors.setdefault("body", []).append("A TextualBody value must be a string.")
        elif purpose == "tagging":
            parsed.tags.append(value)
        elif not parsed.note:
            parsed.note = value

    if "claim" in data:
        claim_id = claim_id_from(data["claim"], base)
        if data["claim"] is not None and claim_id is None:
            errors.setdefault("claim", []).append("Give a claim's id or its IRI.")
        parsed.claim_id = claim_id
    stance = data.get("claimStance")
    if stance is not None and stance not in ClaimStance.values:
        errors.setdefault("claimStance", []).append(
            f"Choose one of: {', '.join(ClaimStance.values)}."
        )
    elif stance is not None:
        parsed.claim_stance = stance
    for name in ("colour", "visibility"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors.setdefault(name, []).append("Must be a string.")
        elif value is not None:
            setattr(parsed, name, value)

    group = data.get("group")
    if group is not None and not isinstance(group, str):
        errors.setdefault("group", []).append("Give the group's address name (its slug).")
    elif group:
        parsed.group_slug = group
    for audience in _as_list(data.get("audience")):
        iri = audience.get("id") if isinstance(audience, dict) else audience
        kwargs = resolve_iri(iri, "annotations:group-detail", base=base)
        if kwargs:
            parsed.group_slug = kwargs["slug"]
    targets = _as_list(data.get("target"))
    if not targets:
        errors.setdefault("target", []).append("An annotation needs a target.")
    else:
        _parse_target(targets[0], parsed, errors, require_our_source=require_our_source, base=base)
    if errors:
        raise AnnotationInvalid(errors)
    return parsed


def _parse_target(
    target: Any,
    parsed: ParsedAnnotation,
    errors: dict[str, list[str]],
    *,
    require_our_source: bool,
    base: str | None,
) -> None:
    if isinstance(target, str):
        kwargs = resolve_iri(target, "api:annotation-detail", base=base)
        if kwargs:
            parsed.reply_to = int(kwargs["pk"])
            return
        article = resolve_iri(target, "articles:detail", "api:article-detail", base=base)
        if article:  # the whole article: a page note
            parsed.article_slug, parsed.page_note = article["slug"], True
        else:
            errors.setdefault("target", []).append(
                "The target is not an article or annotation here."
            )
        return
    if not isinstance(target, dict):
        errors.setdefault("target", []).append("The target must be an object or an IRI.")
        return
    source = target.get("source", target.get("id"))
    article = resolve_iri(source, "articles:detail", "api:article-detail", base=base)
    reply = resolve_iri(source, "api:annotation-detail", base=base)
    if reply:
        parsed.reply_to = int(reply["pk"])
        return
    if article:
        parsed.article_slug = article["slug"]
    elif require_our_source:
        errors.setdefault("target", []).append(
            "The target's source must be an article of this site (its url in /api/articles/)."
        )
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            errors.setdefault("target", []).append("Each selector must be an object.")
            continue
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            exact = selector.get("exact")
            if not isinstance(exact, str) or not exact:
                errors.setdefault("target", []).append("TextQuoteSelector.exact must be text.")
                continue
            parsed.exact = exact
            for name in ("prefix", "suffix"):
                value = selector.get(name, "")
                if not isinstance(value, str):
                    errors.setdefault("target", []).append(
                        f"TextQuoteSelector.{name} must be text."
                    )
                else:
                    setattr(parsed, name, value)
        elif kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not _is_int(start) or not _is_int(end) or start < 0 or end <= start:
                errors.setdefault("target", []).append(
                    "TextPositionSelector needs integers with 0 <= start < end."
                )
                continue
            parsed.start, parsed.end = start, end
    if "selector" not in target and article and not errors.get("target"):
        parsed.page_note = True  # the whole article, no passage selected
    elif parsed.exact is None and parsed.start is None and not errors.get("target"):
        errors.setdefault("target", []).append(
            "Select a passage with a TextQuoteSelector and/or a TextPositionSelector."
        )


def claim_to_json(claim: Claim, absolute: Absolute) -> dict[str, Any]:
    return {
        "id": claim_iri(absolute, claim.pk),
        "pk": claim.pk,
        "text": claim.text,
        "claimant": claim.claimant,
        "kind": claim.kind,
        "rating": claim.rating,
        "reviewer_notes": claim.reviewer_notes,
        "tags": sorted(t.name for t in claim.tags.all()),
        "reviewed_by": claim.reviewed_by.get_username() if claim.reviewed_by is not None else None,
        "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
        "created": claim.created.isoformat(),
        "modified": claim.modified.isoformat(),
        "group": claim.group.slug if claim.group_id is not None and claim.group else None,
    }
