"""Django's JSON serialization without its one loss: DjangoJSONEncoder cuts datetimes and times
to milliseconds, which a backup must not do. Registered as the format ``backup-json`` by
ibportal.backup; the output is ordinary JSON that Django's own deserializer reads."""

from __future__ import annotations

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactEncoder)
        super()._init_options()
