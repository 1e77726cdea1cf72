"""The API's JSON parsers: 400 (never 500) for a body too deep to decode or holding text that
cannot be stored (a lone surrogate, at any depth, in a key or a value)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

from astana.text import unencodable_at


class JSONParser(DRFJSONParser):
    """DRF's JSON parser, refusing with 400 what no database could store or the parser nest."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        where = unencodable_at(data)
        if where is not None:
            raise ParseError(f"JSON parse error - text is not valid Unicode: {where}.")
        return data


class JSONLDParser(JSONParser):
    media_type = "application/ld+json"
