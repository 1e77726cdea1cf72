"""The backup format: Django's JSON serialisation, with times kept to the microsecond.

Django's own JSON encoder rounds datetimes to milliseconds, so a backup and restore would not
give back the same database. Registered as the "backup-json" format (SERIALIZATION_MODULES);
`manage.py backup` writes it and `restore` reads it.
"""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401 (the format's reader)
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = FullPrecisionEncoder
