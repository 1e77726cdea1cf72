"""The admin's forms: tags typed as comma-separated text, and the intermediate pages' forms."""

from django import forms
from taggit.models import Tag

from .. import services
from ..models import Annotation, Claim


def split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


class CommaTagWidget(forms.TextInput):
    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = ", ".join(sorted((getattr(t, "name", t) for t in value), key=str.casefold))
        return super().format_value(value)


class CommaTagField(forms.CharField):
    """Tags separated by commas only ("peace talks" is one tag), checked as the services
    check them, so a bad tag is a form error rather than a failed save."""

    widget = CommaTagWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Separate tags with commas.")
        super().__init__(required=False, **kwargs)

    def clean(self, value) -> list[str]:
        try:
            return services.tag_names_check(split_tags(super().clean(value)))
        except services.AnnotationInvalid as exc:
            raise forms.ValidationError(exc.errors["tags"]) from None

    def has_changed(self, initial, data) -> bool:
        try:
            new = self.clean(data)
        except forms.ValidationError:
            return True
        return sorted(getattr(t, "name", t) for t in initial or []) != sorted(new)


class AnnotationAdminForm(forms.ModelForm):
    tags = CommaTagField()

    class Meta:
        model = Annotation
        fields = ["tags", "is_hidden"]


class ClaimAdminForm(forms.ModelForm):
    tags = CommaTagField()
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000)
    reviewer_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.MAX_NOTE_LENGTH,
        required=False,
        help_text="Why the claim has its rating; changing the rating records you and the time.",
    )

    class Meta:
        model = Claim
        fields = ["text", "claimant", "kind", "rating", "reviewer_notes", "tags"]


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]
        help_texts = {
            "name": "Renaming changes the tag on every annotation and claim; its address follows."
        }

    def clean_name(self):
        try:
            return services.tag_name_check(name=self.cleaned_data["name"], tag=self.instance)
        except services.AnnotationInvalid as exc:
            raise forms.ValidationError(exc.errors["name"]) from None


class RetagForm(forms.Form):
    add = forms.CharField(
        required=False,
        max_length=5_000,
        label="Tags to add",
        help_text="Separate tags with commas.",
    )
    remove = forms.CharField(
        required=False,
        max_length=5_000,
        label="Tags to remove",
        help_text="Separate tags with commas; case does not matter.",
    )

    def clean(self):
        data = super().clean()
        data["add"] = split_tags(data.get("add", ""))
        data["remove"] = split_tags(data.get("remove", ""))
        if not self.errors and not data["add"] and not data["remove"]:
            raise forms.ValidationError("Give tags to add or tags to remove.")
        return data


class ReattachForm(forms.Form):
    start = forms.IntegerField(
        label="Start", help_text="Offset of the first character (the body starts at 0)."
    )
    end = forms.IntegerField(label="End", help_text="Offset just after the last character.")


class KeepForm(forms.Form):
    """Which of the selected records survives a merge."""

    keep = forms.ModelChoiceField(queryset=Tag.objects.none(), widget=forms.RadioSelect)

    def __init__(self, *args, choices, label: str, label_for, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        field.queryset = choices
        field.label = label
        field.label_from_instance = label_for
