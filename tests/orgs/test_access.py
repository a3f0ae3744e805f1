"""The one access module: scopes of the personas, and every ``visible_to`` declared or explained."""

import inspect

from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability, Role


def test_region_roles_cover_their_subtree_and_department_roles_act_for_their_department(world):
    assert access.region_prefixes(world.village_cadre, Capability.FORMS_ENTER) == [
        world.village_taoyuan.prefix
    ]
    assert access.region_prefixes(world.town_hk, Capability.FORMS_REVIEW) == [world.township_hk.prefix]
    # The department clerk holds forms.register, but for 县人社局, not for the county's subtree.
    assert access.region_prefixes(world.dept_clerk, Capability.FORMS_REGISTER) == []
    assert access.department_ids(world.dept_clerk, Capability.FORMS_REGISTER) == [world.dept_rs.pk]
    assert access.department_ids(world.village_cadre, Capability.FORMS_REGISTER) == []


def test_a_capability_the_role_lacks_opens_nothing(world):
    assert access.region_prefixes(world.village_cadre, Capability.MONITORING_PUBLISH) == []
    assert not access.may(world.village_cadre, Capability.MONITORING_PUBLISH)
    assert access.may(world.inspector, Capability.MONITORING_PUBLISH, world.village_taoyuan)
    assert not access.may(world.inspector, Capability.MONITORING_PUBLISH, world.other_village)


def test_anonymous_visitors_have_no_scope():
    anonymous = AnonymousUser()
    assert access.assignments(anonymous) == []
    assert access.region_prefixes(anonymous, Capability.FORMS_VIEW) == []
    assert not access.may(anonymous, Capability.FORMS_VIEW)


def test_up_and_down_reaches_the_county_above_a_township_but_not_the_neighbour(world):
    seen = set(
        Region.objects.filter(
            access.up_and_down(world.town_hk, "code", Capability.CAMPAIGN_VIEW)
        ).values_list("code", flat=True)
    )
    assert {
        world.county.code,
        world.province.code,
        world.township_hk.code,
        world.village_taoyuan.code,
    } <= seen
    assert world.township_cg.code not in seen and world.other_county.code not in seen


def test_subtree_and_above_shows_a_township_the_county_but_not_a_sibling(world):
    seen = set(
        Region.objects.filter(
            access.subtree_and_above(world.town_hk, "code", Capability.FORMS_VIEW)
        ).values_list("code", flat=True)
    )
    assert world.county.code in seen and world.village_taoyuan.code in seen
    assert world.township_cg.code not in seen


def test_holds_role(world):
    assert access.holds_role(world.monitor, Role.MONITOR)
    assert not access.holds_role(world.village_cadre, Role.MONITOR)


def test_every_visible_to_is_declared_on_the_base_or_says_why_it_is_shaped_otherwise():
    """A new module's scoping is a declaration (``scope_field``, ``scope_capabilities``); a queryset that needs
    another shape (departments, drafts, regions above) overrides ``visible_to`` with a docstring saying so."""
    unexplained = []
    for model in apps.get_models():
        queryset_class = type(model._default_manager.get_queryset())
        own = queryset_class.__dict__.get("visible_to") or getattr(queryset_class, "visible_to", None)
        if own is None or own is access.ScopedQuerySet.visible_to:
            continue
        if not (inspect.getdoc(own) or "").strip():
            unexplained.append(f"{model._meta.label}: {queryset_class.__qualname__}")
    assert not unexplained, "visible_to without the base and without a reason: " + ", ".join(unexplained)


def test_declared_querysets_name_a_capability():
    for model in apps.get_models():
        queryset_class = type(model._default_manager.get_queryset())
        if issubclass(queryset_class, access.ScopedQuerySet):
            assert queryset_class.scope_capabilities, f"{model._meta.label} opens to every signed-in user"


def test_a_person_belongs_to_the_department_of_any_department_role_they_hold(world):
    from jianfu.orgs.models import RoleAssignment, User

    assert not access.works_in(world.town_cg, world.dept_rs)
    RoleAssignment.objects.create(
        user=world.town_cg, role=Role.DEPARTMENT, region=world.dept_rs.region, department=world.dept_rs
    )
    both = User.objects.get(pk=world.town_cg.pk)
    assert access.works_in(both, world.dept_rs)
    assert world.dept_rs.pk in access.own_department_ids(both)
    assert access.own_department_ids(AnonymousUser()) == set()
    assert not access.works_in(None, world.dept_rs)  # the system belongs to no department
