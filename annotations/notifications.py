"""Notifications: replies to a reader's annotations and passages marked with a claim they
created, listed in the app with an unread count in the header, and e-mailed to those who
opted in.

A notification is written in the transaction that writes the annotation it is about, so a
write that rolls back leaves none; its e-mail leaves only once that transaction commits.
Nobody is told of their own doing, nor of an annotation they may not see (access.py's rule,
asked as the recipient). The list and the count ask the same rule every time they are read,
so a reply made private or hidden later drops out of both (and comes back if unhidden); a
deleted annotation takes its notifications with it.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import access
from .models import (
    Annotation,
    Claim,
    Notification,
    NotificationKind,
    NotificationSettings,
    Visibility,
)

EXCERPT_LENGTH = 300


# --- Reads -----------------------------------------------------------------------------------


def notifications_for(*, user) -> QuerySet[Notification]:
    """The user's notifications about annotations they may see now, newest first."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .filter(access.annotation_visibility_q(user, prefix="annotation__"))
        .select_related(
            "actor", "annotation__article__outlet", "annotation__claim", "annotation__parent"
        )
        .order_by("-created", "-pk")
    )


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread: none for anonymous readers; one
    query when none is unread (every page's header asks, and the rule's query takes longer
    to build than to run), two when some are."""
    if user is None or not user.is_authenticated:
        return 0
    unread = Notification.objects.unread().filter(recipient=user)
    if not unread.exists():
        return 0
    return unread.filter(access.annotation_visibility_q(user, prefix="annotation__")).count()


def notification_get_for_user(*, user, pk: int) -> Notification:
    """One of the user's notifications, about an annotation they may see; NotVisible if not."""
    try:
        return notifications_for(user=user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise access.NotVisible from None


def notification_settings_for(*, user) -> NotificationSettings:
    """The user's e-mail choices (unsaved defaults, all off, if never chosen)."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def annotation_url(annotation: Annotation) -> str:
    """Where to read an annotation in its context: its permalink, or the article at its card."""
    try:
        return reverse("annotations:annotation-permalink", args=[annotation.pk])
    except NoReverseMatch:
        return f"{annotation.article.get_absolute_url()}#card-{annotation.pk}"


# --- Writes ----------------------------------------------------------------------------------


def notification_reply(*, reply: Annotation) -> Notification | None:
    """Tell the creator of the annotation replied to (called where the reply is written)."""
    parent = reply.parent
    if parent is None:
        return None
    return _notify(
        recipient_id=parent.creator_id,
        actor=reply.creator,
        kind=NotificationKind.REPLY,
        annotation=reply,
    )


def notification_claim_passage(*, annotation: Annotation) -> Notification | None:
    """Tell a claim's creator that a passage was marked with it (called where a passage is
    written with a claim)."""
    if annotation.claim_id is None:
        return None
    creator_id = (
        Claim.objects.filter(pk=annotation.claim_id).values_list("created_by_id", flat=True).first()
    )
    return _notify(
        recipient_id=creator_id,
        actor=annotation.creator,
        kind=NotificationKind.CLAIM_PASSAGE,
        annotation=annotation,
    )


def notification_annotation_updated(*, annotation: Annotation, before: Annotation) -> None:
    """Tell whom an edit newly concerns (`before`: the annotation as read before the edit):
    the claim's creator when a passage is given a claim, or another one; and, when a private
    reply or passage is made public, whoever it would have told had it been public from the
    start. Never twice for one annotation (one per recipient, annotation and kind)."""
    published = before.visibility != annotation.visibility == Visibility.PUBLIC
    if annotation.parent_id is not None:
        if published:
            notification_reply(reply=annotation)
    elif published or annotation.claim_id != before.claim_id:
        notification_claim_passage(annotation=annotation)


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (again is harmless)."""
    if notification.recipient_id != user.pk:
        raise access.NotVisible
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; how many were."""
    return Notification.objects.unread().filter(recipient=user).update(read_at=timezone.now())


@transaction.atomic
def notification_settings_update(
    *, user, email: str, email_replies: bool, email_claims: bool
) -> NotificationSettings:
    """Save which notifications the user wants by e-mail, and the address to send them to."""
    if email != user.email:
        user.email = email
        user.save(update_fields=["email"])
    found, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_replies": email_replies, "email_claims": email_claims}
    )
    return found


def _notify(*, recipient_id: int | None, actor, kind: str, annotation: Annotation):
    if recipient_id is None or recipient_id == actor.pk:
        return None
    recipient = (
        get_user_model()
        .objects.select_related("notification_settings")
        .filter(pk=recipient_id, is_active=True)
        .first()
    )
    if recipient is None:
        return None
    if not access.annotations_visible_to(recipient).filter(pk=annotation.pk).exists():
        return None
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, annotation=annotation, kind=kind, defaults={"actor": actor}
    )
    if created and recipient.email and _wants_email(recipient, kind):
        # robust: a mail server that fails after the write committed is logged, not a 500.
        transaction.on_commit(partial(_send_email, notification.pk), robust=True)
    return notification


def _wants_email(recipient, kind: str) -> bool:
    try:
        return recipient.notification_settings.wants_email(kind)
    except ObjectDoesNotExist:
        return False


def _send_email(notification_pk: int) -> None:
    """Mail one notification, read again after the commit: if it or its annotation has gone,
    or the recipient may no longer see it, nothing is sent."""
    written = Notification.objects.select_related("recipient").filter(pk=notification_pk).first()
    if written is None:
        return
    found = notifications_for(user=written.recipient).filter(pk=notification_pk).first()
    if found is None:
        return
    subject, body = email_message(found)
    send_mail(subject, body, None, [found.recipient.email])


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def email_message(notification: Notification) -> tuple[str, str]:
    """The subject and plain-text body of a notification's e-mail."""
    annotation = notification.annotation
    actor = notification.actor.get_username()
    article = _one_line(annotation.article.title, 120)
    link = settings.ASTANA_SITE_URL.rstrip("/") + annotation_url(annotation)
    if notification.kind == NotificationKind.REPLY:
        subject = f"{actor} replied to your annotation on “{_one_line(article, 60)}”"
        said = _one_line(annotation.note, EXCERPT_LENGTH)
        lines = [f"{actor} replied to your annotation on “{article}”:", "", said]
        why = "replies to your annotations"
    else:
        claim = _one_line(annotation.claim.text, 120)
        subject = f"{actor} marked a passage with your claim “{_one_line(claim, 60)}”"
        lines = [
            f"{actor} marked a passage of “{article}” with your claim “{claim}”:",
            "",
            f"“{_one_line(annotation.exact, EXCERPT_LENGTH)}”",
        ]
        why = "passages added to your claims"
    settings_link = settings.ASTANA_SITE_URL.rstrip("/") + reverse(
        "annotations:notification-settings"
    )
    lines += [
        "",
        f"Read it in context: {link}",
        "",
        "--",
        f"You get this e-mail because you asked for e-mails about {why} on Astana Reader.",
        f"To stop them: {settings_link}",
    ]
    return subject, "\n".join(lines) + "\n"
