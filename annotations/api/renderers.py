"""JSON-LD as the W3C Web Annotation Protocol asks for it."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser
from rest_framework.renderers import JSONRenderer

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


class JSONParser(DRFJSONParser):
    """DRF's JSON parser, answering 400 (not 500) to a body nested too deeply to decode."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None


class JSONLDParser(JSONParser):
    media_type = "application/ld+json"
