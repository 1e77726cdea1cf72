"""What the annotation commands share: finding the user a --user option names."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_named(username: str):
    """The user whose username this is; a CommandError when there is none."""
    user_model = get_user_model()
    lookup = {user_model.USERNAME_FIELD: username}
    user = user_model._default_manager.filter(**lookup).first()
    if user is None:
        raise CommandError(f"No user named {username!r}.")
    return user
