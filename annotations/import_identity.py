"""Who and what an imported annotation is on the server it came from, so importing the same
file again updates what the first import wrote instead of writing it twice.

An annotation's identity is the list of its IRIs, most original first: `canonical` (kept by
itself, unchanged, as the W3C protocol requires), `via`
(the annotation it was copied from: our export writes an imported annotation's foreign id
there) and its `id`. An IRI that names one of our own annotations (a re-import of our own
export) matches that annotation when the importing creator owns it and, unless the IRI is on
this site's host, when its `created` time is the file's too (another server's
/api/annotations/5/ is not ours). Any other IRI matches the annotation of the same creator
whose `foreign_id` it is (unique per creator: two readers importing the same Hypothesis file
each get their own copy).

A re-import changes what the reader said (note, tags, colour, visibility, when given); the
passage, motivation and claim stay those of the first import. Nothing that is already so is
written: such an annotation is reported as unchanged.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from . import access, services
from .models import Annotation
from .w3c import ParsedAnnotation, resolve_iri

MAX_FOREIGN_ID = 1000
MAX_FOREIGN_CREATOR = 300
ORIGINAL_CREATOR_KEY = "originalCreator"


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Identity:
    keys: tuple[str, ...]  # the annotation's IRIs, most original first
    created: datetime | None  # its `created` time in the file, to recognise our own records
    canonical: str = ""  # the `canonical` IRI it was given, kept as it is

    def fields(self, *, foreign_creator: str = "") -> dict[str, str]:
        """The identity columns a new annotation is written with (services.identity_fields)."""
        return {
            "foreign_id": self.foreign_id,
            "foreign_creator": foreign_creator,
            "canonical": self.canonical,
        }

    @property
    def foreign_id(self) -> str:
        """What a new record keeps as its foreign id (written out as `via`): the most original
        IRI that fits, other than the canonical one, which is kept by itself."""
        keys = (key for key in self.keys if key != self.canonical and len(key) <= MAX_FOREIGN_ID)
        return next(keys, "")


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v.strip()]


def identity_of(data: dict) -> Identity:
    keys: list[str] = []
    for name in ("canonical", "via", "id"):
        for iri in _strings(data.get(name)):
            if iri not in keys:
                keys.append(iri)
    created = data.get("created")
    try:
        moment = parse_datetime(created) if isinstance(created, str) else None
    except ValueError:  # well formed but impossible ("12:99"): no time to compare
        moment = None
    canonical = next(iter(_strings(data.get("canonical"))), "")
    return Identity(tuple(keys), moment, canonical if len(canonical) <= MAX_FOREIGN_ID else "")


def foreign_creator_of(data: dict) -> str:
    """The creator's IRI on the other server ("acct:alice@hypothes.is"), or our extension key
    `originalCreator` that our export writes for such a creator; "" when there is none."""
    for value in _strings(data.get(ORIGINAL_CREATOR_KEY)):
        return value[:MAX_FOREIGN_CREATOR]
    creators = data.get("creator")
    for creator in creators if isinstance(creators, list) else [creators]:
        iri = creator.get("id") if isinstance(creator, dict) else creator
        if isinstance(iri, str) and iri.strip():
            return iri.strip()[:MAX_FOREIGN_CREATOR]
    return ""


def acct_username(iri: str, local_host: str | None) -> str | None:
    """The username of an `acct:name@host` IRI naming an account on this site's host."""
    if not iri.startswith("acct:") or local_host is None:
        return None
    name, _, host = iri.removeprefix("acct:").rpartition("@")
    return name if name and host.lower() == local_host.split(":")[0] else None


def annotation_find_imported(
    *, creator, identity: Identity, local_host: str | None
) -> Annotation | None:
    """The annotation an earlier import (or this site) made of the one the file describes."""
    for key in identity.keys:
        ours = _our_annotation(key, creator=creator, identity=identity, local_host=local_host)
        if ours is not None:
            return ours
        found = Annotation.objects.filter(
            Q(foreign_id=key) | Q(canonical=key), creator=creator
        ).first()
        if found is not None:
            return found
    return None


def _our_annotation(key: str, *, creator, identity: Identity, local_host: str | None):
    kwargs = resolve_iri(key, "api:annotation-detail")
    if not kwargs:
        return None
    host = urlparse(key).netloc.lower()
    on_our_host = local_host is not None and host == local_host
    if local_host is not None and host and not on_our_host:
        return None
    record = Annotation.objects.filter(pk=kwargs["pk"], creator=creator).first()
    if record is None:
        return None
    if on_our_host or (identity.created is not None and record.created == identity.created):
        return record
    return None


def _tag_names(tags: Sequence[str]) -> list[str]:
    return sorted({" ".join(t.split()) for t in tags if isinstance(t, str) and t.strip()})


def annotation_update_imported(
    *, user, annotation: Annotation, parsed: ParsedAnnotation, data: dict, foreign_creator: str
) -> tuple[Annotation, str]:
    """Bring an earlier import up to date with the file; writes only what differs."""
    access.require_change(user, annotation)
    changes: dict[str, Any] = {}
    if parsed.note != annotation.note:
        changes["note"] = parsed.note
    if _tag_names(parsed.tags) != _tag_names([t.name for t in annotation.tags.all()]):
        changes["tags"] = parsed.tags
    for name in ("colour", "visibility"):
        value = getattr(parsed, name)
        if name in data and value is not None and value != getattr(annotation, name):
            changes[name] = value
    if changes:
        annotation = services.annotation_update(
            user=user, annotation=annotation, expected_version=None, **changes
        )
    if foreign_creator and foreign_creator != annotation.foreign_creator:
        Annotation.objects.filter(pk=annotation.pk).update(foreign_creator=foreign_creator)
        changes["foreign_creator"] = foreign_creator
    return annotation, Outcome.UPDATED if changes else Outcome.UNCHANGED


def annotation_keep_identity(
    *, annotation: Annotation, identity: Identity, foreign_creator: str
) -> None:
    """Remember where a newly imported annotation came from (our own IRI too, for a copy of
    another reader's annotation here: importing the file again then finds the copy)."""
    fields = {
        "foreign_id": identity.foreign_id,
        "foreign_creator": foreign_creator,
        "canonical": identity.canonical,
    }
    if any(fields.values()):
        Annotation.objects.filter(pk=annotation.pk).update(**fields)
        for name, value in fields.items():
            setattr(annotation, name, value)
