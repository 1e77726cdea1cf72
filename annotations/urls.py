from django.urls import path

from . import views

app_name = "annotations"

urlpatterns = [
    # taggit makes Unicode slugs ("переговоры"), which <slug:> would not match.
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("annotations/<int:pk>/apply-claim/", views.claim_apply, name="claim-apply"),
]
