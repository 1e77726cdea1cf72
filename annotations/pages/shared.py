"""The reading page shared by signed-in readers: drawn once per version of the article's page,
kept, and given to each signed-in reader with their own parts filled in.

The page is drawn once (`_draw`) with a marker in each place that belongs to the reader and
kept in the cache as its pieces; a request then costs the version queries and the reader's
parts (cache.shared_reader says who may have it: every signed-in reader but staff, on a
published article):

- `user_nav`: who is signed in, their unread notifications, the sign-out form (its CSRF
  token);
- `messages`: the messages waiting for them;
- `annotator_config`: what the annotator's script needs (their name: the script marks their
  own cards, which the shared page cannot);
- `layer_groups`: their groups, in the sidebar's choice of layer.

Two regions, the body and the sidebar, are everyone's (what anonymous readers read), or the
reader's own when they read more there (private notes, their groups'): then their own
fragments go in, kept under their own keys. The page around those regions (the frame) is
kept apart under a key no annotation moves, so after a write only the regions are drawn
again.

A marker is a comment made from the site's secret key, the same in every process (so a
fragment kept inside the page, such as the sidebar, keeps it valid) and impossible for a
reader to write into an annotation (notes and quotes are escaped or sanitised anyway).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache as page_cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from .. import access
from ..models import Claim, Colour
from ..notifications import unread_count
from . import cache
from .reading import reading_page

SLOTS = ("user_nav", "messages", "annotator_config", "layer_groups")
# Parts of the page between two markers (`body_start` ... `body_end`): everyone's, kept with
# the page, or the reader's own when they read more there than everyone.
REGIONS = ("body", "sidebar")
MARKERS = (*SLOTS, *(f"{name}_{end}" for name in REGIONS for end in ("start", "end")))
REGION_TEMPLATES = {
    "body": "articles/_reading_body.html",
    "sidebar": "annotations/_reading_sidebar.html",
}


def _marker(name: str) -> SafeString:
    secret = salted_hmac("astana.shared-page", name, algorithm="sha256").hexdigest()[:24]
    return mark_safe(f"<!--slot:{name}:{secret}-->")


class Slots:
    """The markers, as the templates read them (`slots.user_nav`, ...)."""

    def __getattr__(self, name: str) -> SafeString:
        if name not in MARKERS:
            raise AttributeError(name)
        return _marker(name)


Pieces = list[str]  # text, slot name, text, slot name, ..., text


@dataclass(frozen=True, slots=True)
class Drawn:
    """The shared page as kept: its pieces, and everyone's part of each region (in pieces
    too: the sidebar holds a slot)."""

    pieces: Pieces
    regions: dict[str, Pieces]


def _pieces(content: str, names: tuple[str, ...]) -> Pieces:
    """The content cut at each marker of these names: text, name, text, ..., text."""
    pieces: Pieces = [content]
    for name in names:
        marker = _marker(name)
        split: Pieces = []
        for n, piece in enumerate(pieces):
            if n % 2:  # a slot name, kept
                split.append(piece)
                continue
            for m, part in enumerate(piece.split(marker)):
                if m:
                    split.append(name)
                split.append(part)
        pieces = split
    return pieces


def _split(content: str) -> Drawn:
    regions = {}
    for name in REGIONS:
        head, rest = content.split(_marker(f"{name}_start"), 1)
        inner, tail = rest.split(_marker(f"{name}_end"), 1)
        regions[name] = _pieces(inner, SLOTS)
        content = f"{head}{_marker(name)}{tail}"
    return Drawn(_pieces(content, (*SLOTS, *REGIONS)), regions)


def _joined(pieces: Pieces, parts: dict[str, Callable[[], str]]) -> str:
    return "".join(parts[piece]() if n % 2 else piece for n, piece in enumerate(pieces))


def _draw(
    request: HttpRequest, slug: str, context: Callable[..., dict], *, regions: bool = True
) -> Drawn:
    """The whole shared page, drawn with a marker in every reader's place; without
    `regions`, the frame alone (its regions empty: a reader with their own draws those, and
    the annotations are not read twice)."""
    page = reading_page(user=request.user, slug=slug, shared=True)
    response = render(
        request,
        "articles/article_detail.html",
        {
            **context(page),
            "slots": Slots(),
            "annotator_config": None,
            "frame_only": not regions,
        },
    )
    return _split(response.content.decode())


def _everyones_regions(
    request: HttpRequest, slug: str, context: Callable[..., dict]
) -> dict[str, Pieces]:
    """Everyone's body and sidebar as they are now: their fragments, kept under everyone's
    keys, drawn again only when the annotations changed."""
    page = reading_page(user=request.user, slug=slug, shared=True)
    values = {**context(page), "slots": Slots()}
    return {
        name: _pieces(render_to_string(template, values, request), SLOTS)
        for name, template in REGION_TEMPLATES.items()
    }


def _own_regions(
    request: HttpRequest, slug: str, context: Callable[..., dict]
) -> dict[str, Callable[[], str]]:
    """The body and sidebar of a reader who reads more there than everyone: their own
    fragments, kept under their own keys (cache.reader_cache_key) as on a page of their own."""
    page = reading_page(user=request.user, slug=slug)
    values = context(page)
    return {
        name: partial(render_to_string, template, values, request)
        for name, template in REGION_TEMPLATES.items()
    }


def _reader_parts(
    request: HttpRequest, slug: str, reader: cache.SharedReader
) -> dict[str, Callable[[], str]]:
    user = request.user

    def user_nav() -> str:
        return get_template("_user_nav.html").render(
            {
                "user": user,
                "request": request,
                "csrf_token": get_token(request),
                "notifications_unread": unread_count(user=user) if reader.unread else 0,
            }
        )

    def messages() -> str:
        return get_template("_messages.html").render({"messages": get_messages(request)})

    def config() -> str:
        values = annotator_config(request, slug=slug, address=request.path)
        return json_script(values, "annotator-config")

    def layer_groups() -> str:
        if not reader.grouped:
            return ""
        return get_template("annotations/_layer_groups.html").render(
            {"groups": access.groups_of(user)}
        )

    return {
        "user_nav": user_nav,
        "messages": messages,
        "annotator_config": config,
        "layer_groups": layer_groups,
    }


def annotator_config(request: HttpRequest, *, slug: str, address: str) -> dict:
    """What the annotator's script needs to know, as JSON in the page."""
    user = request.user
    return {
        "article": slug,
        "articleUrl": request.build_absolute_uri(address),
        "signedIn": user.is_authenticated,
        "loginUrl": f"{reverse('login')}?next={address}",
        "signupUrl": f"{reverse('signup')}?next={address}",
        "username": user.get_username() if user.is_authenticated else "",
        "api": {
            "annotations": reverse("api:annotation-list"),
            "claims": reverse("api:claim-list"),
            "tags": reverse("api:tag-list"),
        },
        "palette": [{"value": c.value, "meaning": c.meaning} for c in Colour],
        "claimKinds": [{"value": v, "label": lbl} for v, lbl in Claim.Kind.choices],
        "claimRatings": [{"value": v, "label": lbl} for v, lbl in Claim.Rating.choices],
    }


def shared_reading_response(
    request: HttpRequest, *, slug: str, context: Callable[..., dict]
) -> HttpResponse | None:
    """The shared reading page for this reader, or None when they need a page of their own
    (cache.shared_reader). `context(page)` gives the template's context for a page."""
    if request.method not in ("GET", "HEAD"):
        return None
    reader = cache.shared_reader(request=request, slug=slug)
    if reader is None:
        return None
    drawn = None if reader.personal else page_cache.get(reader.key)
    if drawn is None:
        frame: Drawn | None = page_cache.get(reader.frame_key)
        if frame is None:
            try:
                frame = _draw(request, slug, context, regions=not reader.personal)
            except access.NotVisible:
                return None
            page_cache.set(reader.frame_key, frame, settings.ASTANA_PAGE_CACHE_SECONDS)
            drawn = frame  # its regions are everyone's as they are now
        elif reader.personal:
            drawn = frame  # the reader's own regions go in below
        else:  # annotations changed since the frame was drawn: everyone's regions again
            drawn = Drawn(frame.pieces, _everyones_regions(request, slug, context))
        if not reader.personal:
            page_cache.set(reader.key, drawn, settings.ASTANA_PAGE_CACHE_SECONDS)
    parts = _reader_parts(request, slug, reader)
    if reader.personal:
        parts.update(_own_regions(request, slug, context))
    else:
        parts.update({name: partial(_joined, drawn.regions[name], parts) for name in REGIONS})
    return HttpResponse(_joined(drawn.pieces, parts))
