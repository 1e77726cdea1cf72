from django.contrib import admin
from django.urls import include, path

from annotations import views as annotation_views
from annotations.pages import views as pages
from articles import views as article_views

# The article pages keep one namespace ("articles:list", "articles:detail", ...) whichever app
# serves them: the source view is the articles app's own; the pages that show annotations
# too are annotations/pages/ (annotations may import articles, never the reverse).
article_urls = [
    path("", pages.article_list, name="list"),
    path("articles/<slug:slug>/", pages.article_detail, name="detail"),
    path("articles/<slug:slug>/source/", article_views.article_source, name="source"),
    path("articles/<slug:slug>/cards/", pages.article_cards, name="cards"),
    path("compare/", pages.compare, name="compare"),
    path("search/", pages.search, name="search"),
]

story_urls = [
    path("", pages.story_list, name="list"),
    path("<slug:slug>/", pages.story_detail, name="detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("annotations.api.urls")),
    path("accounts/signup/", annotation_views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("annotations.urls")),
    path("stories/", include((story_urls, "stories"))),
    path("", include((article_urls, "articles"))),
]
