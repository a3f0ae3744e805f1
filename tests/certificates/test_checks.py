"""The deploy check: a production site must say where its certificates' QR codes point (JIANFU_SITE_URL)."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def _certificate_checks(deploy: bool = True) -> list:
    return run_checks(include_deployment_checks=deploy, tags=["certificates"])


def test_it_requires_the_site_url_in_production(settings):
    settings.PRODUCTION, settings.SITE_URL = True, ""
    [error] = _certificate_checks()
    assert error.id == "certificates.E001" and error.is_serious()
    assert "生产环境未设置 JIANFU_SITE_URL" in error.msg and "is not set in production" in error.msg
    with pytest.raises(SystemCheckError, match="certificates.E001"):
        call_command("check", deploy=True, tags=["certificates"])
    assert _certificate_checks(deploy=False) == []  # a deploy check only


def test_it_passes_with_a_site_url_or_outside_production(settings):
    settings.PRODUCTION, settings.SITE_URL = True, "https://jianfu.example.gov.cn"
    assert _certificate_checks() == []
    settings.PRODUCTION, settings.SITE_URL = False, ""
    assert _certificate_checks() == []
