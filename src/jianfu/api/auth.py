from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from jianfu.orgs.models import ApiToken


class TokenAuth(HttpBearer):
    """Machine clients send ``Authorization: Bearer <key>``; we compare SHA-256 digests."""

    openapi_description = "在“我的账号”页面创建的 API 令牌"

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        if found.last_used_at is None or (timezone.now() - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class ActiveSessionAuth(SessionAuth):
    """The browser's own session (with CSRF on writes), for pages that call the API."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
