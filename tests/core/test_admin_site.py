"""The back office: every registered model's list opens, read-only, for the platform operator and for staff in
their own scope only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from jianfu.orgs.admin import ReadOnlyAdmin
from jianfu.orgs.models import User

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {
    "admission",
    "catalog",
    "certificates",
    "forms",
    "supervision",
    "monitoring",
    "campaign",
    "consultation",
    "grid",
}


def test_every_domain_app_has_a_read_only_back_office():
    registered = {model._meta.app_label for model in admin.site._registry}
    assert DOMAIN_APPS <= registered
    assert all(
        isinstance(model_admin, ReadOnlyAdmin)
        for model_admin in admin.site._registry.values()
        if model_admin.model._meta.app_label.startswith(tuple(DOMAIN_APPS))
    )


def test_each_list_opens_for_the_operator_with_the_demo_records(world, client):
    operator = User.objects.create_superuser(
        "operator", password="x-Op3rator!", full_name="平台运维", home_region=world.province
    )
    client.force_login(operator)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        if (
            model._meta.app_label == "audit"
        ):  # separation of duties: the operator does not read the audit trail
            assert response.status_code == 403, url
            continue
        assert response.status_code == 200, url
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        if isinstance(admin.site._registry[model], ReadOnlyAdmin):
            assert f'href="{add}"' not in response.content.decode(), url  # read-only: no add button


def test_staff_see_only_their_own_scope(world, client):
    world.village_cadre.is_staff = True
    world.village_cadre.save(update_fields=["is_staff"])
    client.force_login(world.village_cadre)
    page = client.get(reverse("admin:orgs_region_changelist")).content.decode()
    assert world.village_taoyuan.name in page and world.other_village.name not in page
