from django.urls import path

from . import protocol
from .annotation_detail_views import AnnotationDetailView, AnnotationHideView
from .annotation_views import AnnotationListView
from .apply_claim_views import AnnotationApplyClaimView
from .article_views import ArticleDetailView, ArticleListView
from .claim_views import ClaimDetailView, ClaimListView
from .docs import ApiDocsView, SchemaView
from .export_views import ExportView
from .job_views import ImportView, JobDetailView
from .revision_views import ArticleRevisionView
from .tag_views import TagListView

app_name = "api"

urlpatterns = [
    path("annotations/", AnnotationListView.as_view(), name="annotation-list"),
    path("annotations/<int:pk>/", AnnotationDetailView.as_view(), name="annotation-detail"),
    path("annotations/<int:pk>/hide/", AnnotationHideView.as_view(), name="annotation-hide"),
    path(
        "annotations/<int:pk>/apply-claim/",
        AnnotationApplyClaimView.as_view(),
        name="annotation-apply-claim",
    ),
    path("articles/", ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", ArticleDetailView.as_view(), name="article-detail"),
    path(
        "articles/<slug:slug>/revisions/<int:number>/",
        ArticleRevisionView.as_view(),
        name="article-revision",
    ),
    path("claims/", ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", ClaimDetailView.as_view(), name="claim-detail"),
    path("tags/", TagListView.as_view(), name="tag-list"),
    path("export/", ExportView.as_view(), name="export"),
    path("imports/", ImportView.as_view(), name="import"),
    path("jobs/<int:pk>/", JobDetailView.as_view(), name="job-detail"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("ns/astana.jsonld", protocol.context_view, name="context"),
]
