from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/source/", views.article_source, name="source"),
    path("compare/", views.compare, name="compare"),
    path("search/", views.search, name="search"),
]
