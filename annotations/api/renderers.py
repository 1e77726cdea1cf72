"""JSON-LD as the W3C Web Annotation Protocol asks for it."""

from rest_framework.renderers import JSONRenderer

from .parsers import JSONLDParser, JSONParser  # noqa: F401 (kept importable from here)

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_PROFILE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


class AnnotationJSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code < 400:
            response["Content-Type"] = ANNO_PROFILE
        return super().render(data, accepted_media_type, renderer_context)
