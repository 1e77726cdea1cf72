"""Forms of the curation pages in the admin: adding articles, fixing block kinds, merging."""

from django import forms

from .ingest import Kind
from .models import Outlet


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked like a single FileField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ArticleImportForm(forms.Form):
    files = MultipleFileField(
        required=False,
        help_text="Plain-text news files or saved web pages (.html); each becomes an article "
        "(or a new revision of the article imported before under the same file name).",
    )
    name = forms.CharField(
        required=False,
        max_length=255,
        help_text="For pasted text: the file name to keep it under, e.g. reuters-2017-01-23.txt.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text="Or paste the text of one article.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("files") and not data.get("text", "").strip():
            raise forms.ValidationError("Choose at least one file or paste some text.")
        if data.get("text", "").strip() and not data.get("name", "").strip():
            self.add_error("name", "Give the pasted text a file name.")
        return data


class ArticleLinkForm(forms.Form):
    """A link to a news page; the fetcher checks it (a URLField would refuse some in other
    words, or accept schemes the fetcher refuses)."""

    url = forms.CharField(
        label="Link",
        max_length=2048,
        strip=True,
        widget=forms.URLInput(attrs={"size": 90, "placeholder": "https://"}),
        help_text="The address of a news page (http or https).",
    )


class BlockKindsForm(forms.Form):
    """One kind per block of a revision, prefilled with the current kinds."""

    def __init__(self, *args, blocks, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = list(blocks)
        choices = [(kind.value, kind.label) for kind in Kind]
        for block in self.blocks:
            self.fields[f"kind_{block.position}"] = forms.ChoiceField(
                choices=choices, initial=block.kind, label=f"Block {block.position}"
            )

    def rows(self):
        return [(block, self[f"kind_{block.position}"]) for block in self.blocks]

    def kinds(self) -> dict[int, str]:
        return {
            block.position: self.cleaned_data[f"kind_{block.position}"] for block in self.blocks
        }


class OutletMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Outlet.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this outlet; the others are merged into it",
    )

    def __init__(self, *args, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = outlets
