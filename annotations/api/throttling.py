"""How often one user may write annotations through the API."""

from django.core.cache import caches
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class AnnotationWriteThrottle(UserRateThrottle):
    """Creates, edits and deletes per user (per address when anonymous), reads never count.

    The counts live in the "throttle" cache, which every gunicorn worker shares (the database
    by default, Redis with REDIS_URL), so the limit holds across workers.
    """

    scope = "annotation-writes"

    def get_rate(self) -> str | None:
        # Read the setting on each use (DRF binds it once at import), so it can be changed.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    @property
    def cache(self):
        return caches["throttle"]

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
