"""Deployment checks of our own, run by ``jianfu check --deploy`` next to Django's."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    """Several app servers each counting in their own memory would multiply every rate limit."""
    if settings.PRODUCTION and not settings.REDIS_URL:
        return [
            checks.Error(
                "生产环境的限流计数须放在共享缓存中：请设置 JIANFU_REDIS_URL（如 redis://127.0.0.1:6379/0）。",
                id="jianfu.E001",
            )
        ]
    return []
