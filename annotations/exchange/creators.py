"""Whose an imported annotation or claim is: the importing user, unless `keep_creators` is
set and the file names the creator as an active user here (by nickname, or by an `acct:` IRI
on this site's host)."""

from typing import Any

from django.contrib.auth import get_user_model

from .. import access, import_identity
from .reading import as_list
from .report import Invalid


class Creators:
    """The users an import's records belong to, each looked up once."""

    def __init__(self, *, user, keep_creators: bool, local_host: str | None) -> None:
        self.user = user
        self.keep_creators = keep_creators
        self.local_host = local_host
        self._users: dict[str, Any] = {}

    def named(self, name: str):
        """The user here with this username who may annotate, else None."""
        if name not in self._users:
            user_model = get_user_model()
            user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: name}).first()
            self._users[name] = user if user is not None and access.can_create(user) else None
        return self._users[name]

    def in_file(self, data: dict):
        """The user here the file names as the creator (with keep_creators): by nickname, or
        by an acct: IRI on this site's host; None when there is none."""
        if not self.keep_creators:
            return None
        for creator in as_list(data.get("creator")):
            nickname = creator.get("nickname") if isinstance(creator, dict) else None
            if isinstance(nickname, str) and (user := self.named(nickname)):
                return user
            iri = creator.get("id") if isinstance(creator, dict) else creator
            name = (
                import_identity.acct_username(iri, self.local_host)
                if isinstance(iri, str)
                else None
            )
            if name and (user := self.named(name)):
                return user
        return None

    def of(self, data: dict):
        """Who the annotation will belong to; Invalid when nobody can own it."""
        if (user := self.in_file(data)) is not None:
            return user
        if self.user is None:
            raise Invalid("Its creator is not a user here, and no importing user was given.")
        return self.user
