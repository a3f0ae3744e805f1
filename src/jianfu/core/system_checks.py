"""Deployment checks of our own, run by ``jianfu check --deploy`` next to Django's."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def trusted_proxies_are_addresses(app_configs, **kwargs):
    """A proxy named by host name or with a typo would silently trust nothing (or the wrong hop)."""
    import ipaddress

    wrong = []
    for entry in sorted(settings.TRUSTED_PROXIES):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            wrong.append(entry)
    if wrong:
        return [
            checks.Error(
                f"JIANFU_TRUSTED_PROXIES 只能写 IP 地址或网段（如 10.0.0.5、10.0.0.0/24），这些不是：{'、'.join(wrong)}",
                id="jianfu.E003",
            )
        ]
    return []


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


@checks.register(checks.Tags.security, deploy=True)
def audit_chain_key(app_configs, **kwargs):
    """Without a key of its own the audit chain can be recomputed by anyone who can write to the database."""
    key = settings.AUDIT_KEY
    if settings.PRODUCTION and (not key or key == settings.DEV_AUDIT_KEY or len(key) < 32):
        return [
            checks.Error(
                "生产环境必须设置 JIANFU_AUDIT_KEY：审计链的 HMAC-SM3 密钥，至少 32 个字符，只放在环境变量中，"
                "不得写入数据库（可用 python -c 'import secrets; print(secrets.token_urlsafe(48))' 生成）。",
                id="jianfu.E002",
            )
        ]
    return []
