"""System checks for certificates: a production site must say where its QR codes point."""

from django.conf import settings
from django.core.checks import Error, register

SITE_URL_MISSING = "certificates.E001"


@register("certificates", deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    """In production the QR code on every certificate must open this site's public address, fixed by
    JIANFU_SITE_URL, not whatever address a request happened to arrive on (an intranet name, a proxy's)."""
    if not getattr(settings, "PRODUCTION", False) or getattr(settings, "SITE_URL", ""):
        return []
    return [
        Error(
            "生产环境未设置 JIANFU_SITE_URL：证明和告知承诺书上的二维码将指向请求所用的地址，群众扫码可能无法核验。"
            " / JIANFU_SITE_URL is not set in production: certificate QR codes would point at whatever address"
            " a request came in on.",
            hint="请设置 JIANFU_SITE_URL 为对外公开的网址，如 https://jianfu.example.gov.cn"
            " / Set JIANFU_SITE_URL to the public address, e.g. https://jianfu.example.gov.cn",
            id=SITE_URL_MISSING,
        )
    ]
