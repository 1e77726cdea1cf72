"""What the curation admins share: messages from the services' refusals, intermediate pages
for actions, and merging the selected records into one."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from .. import services
from ..access import AccessDenied
from .forms import KeepForm

CONFIRM = "confirm"  # the hidden field that says an intermediate page's form was sent


def error_text(exc: Exception) -> str:
    if isinstance(exc, services.AnnotationInvalid):
        return " ".join(message for messages_ in exc.errors.values() for message in messages_)
    return str(exc)


def add_errors(form: forms.Form, exc: services.AnnotationInvalid) -> None:
    for name, errors in exc.errors.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def tags_text(obj) -> str:
    return ", ".join(sorted((tag.name for tag in obj.tags.all()), key=str.casefold))


class CurationAdmin(admin.ModelAdmin):
    """What the three curation admins share: intermediate pages for actions, and merges.

    An admin with a "merge" action names what it merges (`merge_noun`), says what a merge does
    (`merge_intro`) and how each record reads among the choices (`merge_choice`).
    """

    merge_noun = ""
    merge_intro = ""

    def merge_choice(self, obj) -> str:
        return str(obj)

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "confirm": CONFIRM,
                **context,
            },
        )

    def _merge(self, request, queryset, merge):
        """The "merge" action: which record to keep, then `merge` (a service) the others in."""
        noun = self.merge_noun
        items = list(queryset)
        if len(items) < 2:
            self.message_user(request, f"Select two or more {noun}s to merge.", messages.WARNING)
            return None
        form = KeepForm(
            request.POST if CONFIRM in request.POST else None,
            choices=queryset,
            label=f"Keep this {noun}; the others are merged into it",
            label_for=self.merge_choice,
        )
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                report = merge(
                    user=request.user, keep=keep, others=[i for i in items if i.pk != keep.pk]
                )
            except (services.AnnotationInvalid, AccessDenied) as exc:
                self.message_user(request, error_text(exc), messages.ERROR)
                return None
            self.message_user(request, report.summary(), messages.SUCCESS)
            return None
        return self._page(
            request,
            "admin/annotations/merge.html",
            f"Merge {noun}s",
            form=form,
            items=items,
            action="merge",
            intro=self.merge_intro,
        )
