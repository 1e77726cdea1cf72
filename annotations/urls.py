from django.urls import path

from . import views
from .groups import views as groups

app_name = "annotations"

urlpatterns = [
    # taggit makes Unicode slugs ("переговоры"), which <slug:> would not match.
    path("tags/", views.tag_list, name="tag-list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    # Any stored username has a page, even one made outside the sign-up form's rules (a "/"
    # in it): <path:> matches it, and the export route is tried first.
    path("users/<path:username>/export/", views.user_export, name="user-export"),
    path("users/<path:username>/", views.user_detail, name="user-detail"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("annotations/<int:pk>/", views.annotation_permalink, name="annotation-permalink"),
    path("annotations/<int:pk>/apply-claim/", views.claim_apply, name="claim-apply"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path("groups/", groups.group_list, name="group-list"),
    path("groups/join/<str:token>/", groups.group_join, name="group-join"),
    path("groups/<slug:slug>/", groups.group_detail, name="group-detail"),
    path("groups/<slug:slug>/manage/", groups.group_manage, name="group-manage"),
]
