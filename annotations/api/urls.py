from django.urls import path

from . import export_views, protocol, revision_views, views
from .docs import ApiDocsView, SchemaView

app_name = "api"

urlpatterns = [
    path("annotations/", views.AnnotationListView.as_view(), name="annotation-list"),
    path("annotations/<int:pk>/", views.AnnotationDetailView.as_view(), name="annotation-detail"),
    path("annotations/<int:pk>/hide/", views.AnnotationHideView.as_view(), name="annotation-hide"),
    path(
        "annotations/<int:pk>/apply-claim/",
        views.AnnotationApplyClaimView.as_view(),
        name="annotation-apply-claim",
    ),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path(
        "articles/<slug:slug>/revisions/<int:number>/",
        revision_views.ArticleRevisionView.as_view(),
        name="article-revision",
    ),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("export/", export_views.ExportView.as_view(), name="export"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("ns/astana.jsonld", protocol.context_view, name="context"),
]
