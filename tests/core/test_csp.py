"""The Content-Security-Policy (django-csp) on every page, in development as in production."""

import re

from django.urls import reverse

from tests.conftest import fresh_settings


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_it_sends_a_strict_policy_on_public_and_signed_in_pages(world, client):
    for url in ("/", "/public/certificates/verify/", "/accounts/login/"):
        policy = _policy(client.get(url))
        assert policy["script-src"] == ["'self'"], url  # no inline script, no eval, no other origin
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    client.force_login(world.inspector)
    assert "'unsafe-inline'" not in client.get("/home/")["Content-Security-Policy"]


def test_it_lets_only_the_print_pages_own_style_through_with_its_nonce(world, client):
    from jianfu.catalog import services

    draft = services.worklist_start_draft(actor=None, kind="duty", region=world.county, title="打印测试清单")
    client.force_login(world.office)
    response = client.get(reverse("catalog:print", args=[draft.pk]))
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in _policy(response)["style-src"]
    assert client.get("/").content.decode().count("nonce=") == 0  # other pages need none


def test_it_has_no_inline_script_or_style_attribute_in_any_template():
    from django.conf import settings

    offenders = []
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        inline_script = re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text)
        if inline_script or re.search(r'\sstyle="|\son[a-z]+="|javascript:', text):
            offenders.append(template.name)
        if "<style" in text and '<style nonce="{{ request.csp_nonce }}">' not in text:
            offenders.append(f"{template.name} (<style> without nonce)")
    assert not offenders, offenders


def test_it_keeps_the_policy_in_production(monkeypatch):
    production = fresh_settings(monkeypatch, JIANFU_ENV="production", JIANFU_SECRET_KEY="x" * 50)
    assert "csp.middleware.CSPMiddleware" in production.MIDDLEWARE
    assert production.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
