"""Account forms: sign-up and the admin's user forms refuse usernames that read like another."""

from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from .usernames import username_problem


class DistinctUsernameMixin:
    """Refuse a username that mixes look-alike scripts or reads like an existing one."""

    def clean_username(self):
        parent = getattr(super(), "clean_username", None)
        username = parent() if parent else self.cleaned_data.get("username")
        if username and not self.has_error("username"):
            problem = username_problem(username, exclude_pk=self.instance.pk)
            if problem:
                raise ValidationError(problem, code="confusable")
        return username


class SignUpForm(DistinctUsernameMixin, auth_forms.UserCreationForm):
    pass


class AdminUserCreationForm(DistinctUsernameMixin, auth_forms.AdminUserCreationForm):
    pass


class UserChangeForm(DistinctUsernameMixin, auth_forms.UserChangeForm):
    pass
