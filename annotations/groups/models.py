"""Groups: teams whose annotations and claims only their members see.

Anyone signed in may create a group (becoming its owner) and invite by a link the owner or a
moderator can revoke (a new token replaces the old; `invites_open` off stops joining). Roles:
owner (everything, removes members, appoints moderators), moderator (hides annotations within
the group, manages the invite link), member (reads and writes in the group). Who may see or do
what is decided in annotations/access.py.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MODERATOR = "moderator", "Moderator"
    MEMBER = "member", "Member"


class Group(models.Model):
    Role = Role

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invite_token = models.CharField(max_length=64, unique=True, default=new_invite_token)
    invites_open = models.BooleanField(default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="annotation_groups"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="group_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("annotations:group-detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(max_length=16, choices=Role, default=Role.MEMBER)
    joined = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "user"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_membership_once"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="group_role_known"),
        ]
        indexes = [models.Index(fields=["user", "group"], name="group_membership_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.role})"
