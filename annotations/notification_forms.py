"""The reader's choice of notifications by e-mail."""

from django import forms


class NotificationSettingsForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="Where to send the e-mails you ask for below.",
    )
    email_replies = forms.BooleanField(
        label="E-mail me when someone replies to one of my annotations", required=False
    )
    email_claims = forms.BooleanField(
        label="E-mail me when someone marks a passage with a claim I created", required=False
    )

    def clean(self):
        cleaned = super().clean()
        wants = cleaned.get("email_replies") or cleaned.get("email_claims")
        if wants and not cleaned.get("email") and not self.has_error("email"):
            self.add_error("email", "Give an address to send the e-mails to.")
        return cleaned
