"""Users: the stock admin, refusing usernames that read like another."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model

from .. import forms as account_forms


class UserAdmin(auth_admin.UserAdmin):
    form = account_forms.UserChangeForm
    add_form = account_forms.AdminUserCreationForm


if admin.site.is_registered(get_user_model()):
    admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)
