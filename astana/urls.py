from django.contrib import admin
from django.urls import include, path

from annotations import views as annotation_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("annotations.api.urls")),
    path("accounts/signup/", annotation_views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("annotations.urls")),
    path("", include("articles.urls")),
]
