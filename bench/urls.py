"""The project's URLs plus /bench/hello/, the floor the load test measures pages against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from astana.urls import urlpatterns as project_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world.\n", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *project_urlpatterns]
