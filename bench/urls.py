"""The project's URLs plus /bench/hello/, the floor the load test measures pages against, and
/bench/cold/, which empties the page cache (bench.pages_scale's cold rows). Served only by
the benchmarks' settings, on 127.0.0.1."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import path

from astana.urls import urlpatterns as project_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world.\n", content_type="text/plain")


def cold(request: HttpRequest) -> HttpResponse:
    """Empty the cache of pages, fragments and their versions' entries."""
    cache.clear()
    return HttpResponse("Emptied.\n", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), path("bench/cold/", cold), *project_urlpatterns]
