"""Writing an import: each annotation of the file checked against the W3C test suite, its
target resolved, and the records written only through the services.

A reply to another annotation of the file is imported after its parent; a reply to an
annotation here is one the importer may see. Nothing is dropped silently: every annotation ends
in the report (report.py).

Transactions: by default each annotation is written in its own transaction (with the claim it
creates, if any), so a refused one leaves nothing behind and the others are kept. With
`atomic=True` the whole file is one transaction, rolled back if anything was refused.

Kept from the file: quote and position, note, tags, motivation, colour, visibility, claim,
thread, created/modified timestamps. Not kept: moderation (hidden) and anchoring state, which
are this site's own judgements.

Identity (import_identity.py): each imported annotation keeps its id on the other server and
its creator there (an `acct:` IRI) when no user here matched; importing the same file again
updates the earlier import (note, tags, colour, visibility) instead of adding a copy, and our
own export imported back updates the records it came from.

Orphans (revision_state.py): a passage gone from the current text is stored as an orphan of
the revision its target's state names, when that revision is here and holds it.
"""

from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import access, import_identity, revision_state, services
from ..import_identity import Outcome
from ..models import Annotation, Motivation
from ..w3c import ParsedAnnotation, annotation_iri, parse_w3c
from .claims import ClaimFinder, NewClaims
from .creators import Creators
from .passages import PassageFinder
from .reading import ImportFile, Item, as_list, on_host, read_file
from .report import ImportedAnnotation, ImportReport, Invalid, Refusal, Unanchorable, classified
from .validation import validation_errors


class _RollBack(Exception):
    pass


def _path_only(path: str) -> str:
    return path


def _parent_iri(data: dict) -> str | None:
    """The IRI of the annotation this one replies to, if its target is a whole resource."""
    targets = as_list(data.get("target"))
    if not targets:
        return None
    target = targets[0]
    if isinstance(target, str):
        return target
    if isinstance(target, dict) and "selector" not in target:
        iri = target.get("source", target.get("id"))
        return iri if isinstance(iri, str) else None
    return None


def _keep_timestamps(record: Annotation, data: dict) -> None:
    stamps: dict[str, datetime] = {}
    for name in ("created", "modified"):
        value = as_list(data.get(name))
        moment = parse_datetime(value[0]) if value and isinstance(value[0], str) else None
        if moment is not None and timezone.is_aware(moment):
            stamps[name] = moment
    if stamps:
        Annotation.objects.filter(pk=record.pk).update(**stamps)


class _Importer:
    def __init__(
        self, contents: ImportFile, *, user, keep_creators: bool, absolute_base: str | None
    ) -> None:
        self.local_host = urlparse(absolute_base).netloc.lower() if absolute_base else None
        self.report = ImportReport(invalid=list(contents.refused))
        self.items = contents.items
        self.creators = Creators(user=user, keep_creators=keep_creators, local_host=self.local_host)
        self.claims = ClaimFinder(
            in_file=contents.claims, creators=self.creators, local_host=self.local_host
        )
        self.passages = PassageFinder()
        self.done: dict[str, Annotation] = {}  # annotation IRI in the file -> new record

    # Running ---------------------------------------------------------------------------------

    def run(self) -> None:
        valid: list[Item] = []
        seen: set[str] = set()
        for item in self.items:
            errors = validation_errors(item.data)
            if item.iri is not None and item.iri in seen:
                errors.append("Another annotation of the file has the same id.")
            if errors:
                self.report.invalid.append(Refusal(item.ref, "; ".join(errors)))
            else:
                valid.append(item)
            if item.iri is not None:
                seen.add(item.iri)
        file_iris = {item.iri for item in valid if item.iri}
        failed: set[str] = {item.iri for item in self.items if item.iri} - file_iris
        pending = valid
        while pending:
            waiting = []
            for item in pending:
                parent = _parent_iri(item.data)
                if parent is not None and parent in failed:
                    self._refuse(
                        item, Unanchorable(f"It replies to {parent}, which was not imported.")
                    )
                    if item.iri:
                        failed.add(item.iri)
                    continue
                if parent in file_iris and parent not in self.done:
                    waiting.append(item)
                    continue
                if not self._import_one(item) and item.iri:
                    failed.add(item.iri)
            if len(waiting) == len(pending):
                for item in waiting:
                    self._refuse(item, Unanchorable("Its replies form a cycle."))
                break
            pending = waiting

    def _refuse(self, item: Item, error: Exception) -> None:
        target = self.report.invalid if isinstance(error, Invalid) else self.report.unanchored
        target.append(Refusal(item.ref, str(error)))

    def _import_one(self, item: Item) -> bool:
        """Write one annotation (and the claim it brings) in its own transaction."""
        claims = NewClaims()
        try:
            with transaction.atomic():
                record, how, outcome = self._create(item, claims)
        except IntegrityError:  # another import of the same annotation, at the same moment
            self._refuse(item, Invalid("It is being imported by another import right now."))
            return False
        except (Invalid, Unanchorable, services.AnnotationInvalid, access.AccessDenied) as error:
            self.claims.forget(claims.created)  # rolled back with the annotation
            self._refuse(item, classified(error))
            return False
        if item.iri:
            self.done[item.iri] = record
        self.report.imported.append(ImportedAnnotation(item.ref, record.pk, how, outcome))
        self.report.claims_created += len(claims.created)
        self.report.claims_reused += claims.reused
        return True

    # One annotation --------------------------------------------------------------------------

    def _create(self, item: Item, claims: NewClaims) -> tuple[Annotation, str, str]:
        data = item.data
        known = self.creators.in_file(data)
        creator = self.creators.of(data)
        foreign_creator = "" if known is not None else import_identity.foreign_creator_of(data)
        identity = import_identity.identity_of(data)
        earlier = import_identity.annotation_find_imported(
            creator=creator, identity=identity, local_host=self.local_host
        )
        parent_iri = _parent_iri(data)
        # References are resolved here, not by parse_w3c: a parent of the file is its new
        # record, and claims are matched by IRI against the file's claims.
        view = {k: v for k, v in data.items() if k != "claim"}
        if parent_iri is not None and parent_iri in self.done:
            view["target"] = annotation_iri(_path_only, self.done[parent_iri].pk)
        try:
            parsed = parse_w3c(view, require_our_source=False)
        except services.AnnotationInvalid as error:
            raise classified(error) from None
        if parent_iri is not None and parent_iri in self.done:
            parent = self.done[parent_iri]
        elif parsed.reply_to is not None:
            parent = self._local_parent(parent_iri, parsed.reply_to, creator)
        else:
            parent = None
        if earlier is not None:
            record, outcome = import_identity.annotation_update_imported(
                user=creator,
                annotation=earlier,
                parsed=parsed,
                data=data,
                foreign_creator=foreign_creator,
            )
            return record, f"an earlier import, annotation {earlier.pk}", outcome
        if parent is not None:
            record = self._create_reply(parsed, parent=parent, creator=creator)
            how = f"reply to annotation {parent.pk}"
        else:
            record, how = self._create_passage(data, parsed, creator=creator, claims=claims)
        _keep_timestamps(record, data)
        import_identity.annotation_keep_identity(
            annotation=record, identity=identity, foreign_creator=foreign_creator
        )
        return record, how, Outcome.CREATED

    def _local_parent(self, iri: str | None, pk: int, creator) -> Annotation:
        if not on_host(iri, self.local_host):
            raise Unanchorable(
                f"It replies to {iri}, which is neither in the file nor an annotation here."
            )
        try:
            return access.annotation_get_for_user(user=creator, pk=pk)
        except access.NotVisible:
            raise Unanchorable(f"It replies to {iri}, which is not here.") from None

    def _create_reply(self, parsed: ParsedAnnotation, *, parent: Annotation, creator):
        reply = services.annotation_reply(
            user=creator, parent=parent, note=parsed.note, visibility=parsed.visibility or "public"
        )
        changes: dict[str, Any] = {}
        if parsed.tags:
            changes["tags"] = parsed.tags
        if parsed.colour and parsed.colour != reply.colour:
            changes["colour"] = parsed.colour
        if changes:
            reply = services.annotation_update(
                user=creator, annotation=reply, expected_version=None, **changes
            )
        return reply

    def _create_passage(
        self, data: dict, parsed: ParsedAnnotation, *, creator, claims: NewClaims
    ) -> tuple[Annotation, str]:
        motivation = parsed.motivation
        if "motivation" not in data and parsed.note:
            motivation = Motivation.COMMENTING  # e.g. Hypothesis: no motivation, a note
        claim = None
        if motivation == Motivation.ASSESSING:
            claim = self.claims.assessed_by(data, creator, claims)
        try:
            passage = self.passages.find(parsed, creator)
        except Unanchorable:
            orphan = self._orphan(data, parsed, creator=creator, motivation=motivation, claim=claim)
            if orphan is None:
                raise
            return orphan
        result = services.annotation_create(
            user=creator,
            motivation=motivation,
            page_note=parsed.page_note,
            **passage.keywords(),
            **parsed.said(claim=claim, group=services.group_named(creator, parsed.group_slug)),
        )
        return result.annotation, passage.how

    def _orphan(
        self, data: dict, parsed: ParsedAnnotation, *, creator, motivation: str, claim
    ) -> tuple[Annotation, str] | None:
        """A passage gone from the current text, stored as an orphan of the earlier revision
        its target's state names, when that revision is here and holds it; else None."""
        if parsed.article_slug is None or parsed.page_note:
            return None
        try:
            article = access.article_get_for_annotating(user=creator, slug=parsed.article_slug)
        except access.NotVisible:
            return None
        revision = revision_state.stated_revision(data, article)
        if revision is None or revision.pk == article.current_revision_id:
            return None
        try:
            record = revision_state.annotation_create_orphan(
                user=creator,
                article=article,
                revision=revision,
                parsed=parsed,
                motivation=motivation,
                claim=claim,
            )
        except services.AnnotationInvalid:
            return None
        return record, (
            f"on {article.slug}, orphaned: its passage is in revision {revision.number}, "
            "not in the current text"
        )


def import_collection(
    *,
    data: Any,
    user=None,
    keep_creators: bool = False,
    absolute_base: str | None = None,
    atomic: bool = False,
) -> ImportReport:
    """Import W3C annotations (see the module's docstring); the report says what became of each.

    `data`: parsed JSON or its text. `user`: who the annotations belong to (see keep_creators);
    may be None only with keep_creators, and then annotations of unknown creators are refused.
    `absolute_base`: this site's base URL; IRIs on its host that the file does not define
    (a parent annotation, a claim) are taken as records that already exist here.
    `atomic`: all or nothing.
    """
    importer = _Importer(
        read_file(data), user=user, keep_creators=keep_creators, absolute_base=absolute_base
    )
    if not atomic:
        importer.run()
        return importer.report
    try:
        with transaction.atomic():
            importer.run()
            if not importer.report.ok:
                raise _RollBack
    except _RollBack:
        importer.report.rolled_back = True
    return importer.report
