"""The permission matrix: every route the URL resolver knows, for every persona (NetBox-style).

A user sees and acts only inside their region subtree or their department; another region's object is a 404.
The table ``ROUTES`` holds one case per named route; ``test_it_has_a_case_for_every_route`` walks
``get_resolver()`` and fails for a route without one, so a new page or API endpoint cannot ship unexamined.

Rules, as the table encodes them:

- anonymous: every page redirects to the login page, every API endpoint answers 401 JSON; only the landing
  page, the login page, the health check and the OpenAPI schema/docs are public.
- reads: 200 when the object is in the persona's scope (``SEES``), otherwise 404.
- writes (create/edit/toggle/grant/revoke/unlock/import): only role ``admin`` has ``orgs.manage``; anyone else
  gets 403 (or 404 first where the view loads the object before checking the capability), a manager gets 404
  for an object outside their county, and an API create or move that names a region outside it is a 404 as
  well. Nobody grants themselves a role (403). The inspector gets 403 on every write route.
- audit pages and endpoints: only the inspector (separation of duties: the administrator cannot read them).
- ``admin:*`` (the Django admin) is covered by one rule instead of one case per route: no persona is staff,
  so every admin route redirects anonymous users and every persona to the admin login page and never
  answers 200; the admin login page itself shows its form (200).
- a refused request changes nothing: the business tables' fingerprint and the audit log stay the same.

The demo world and every case's object are built once per xdist worker (``TestEveryRoute``'s ``shared``) and
rolled back at the end; each persona walks each file's routes (this table, each ``tests/matrix`` module) as one test
item, inside a savepoint, and every request runs in a savepoint of its own that is rolled back, so a successful
write by one route does not disturb the next, and no walk sees another's.
"""

import contextlib
import functools
import importlib
import io
import json
import os
import pkgutil
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.urls.resolvers import RoutePattern
from openpyxl import Workbook, load_workbook

import tests.matrix as matrix_package
from jianfu.admission.services import filing as admission_filing
from jianfu.audit.models import AuditRecord
from jianfu.catalog import services as catalog_services
from jianfu.core.middleware import SlidingSessionMiddleware
from jianfu.orgs import services
from jianfu.orgs.imports import COLUMNS as IMPORT_COLUMNS
from jianfu.orgs.models import Department, Region, User
from tests.conftest import PERSONAS, build_world, run_queued_tasks
from tests.matrix.base import (
    ADMIN_LOGIN,
    ALL,
    ANON,
    CATALOG_MANAGERS,
    COUNTY_WIDE,
    ERROR_CODES,
    LOGIN,
    SEES,
    Case,
    Redirect,
    _cases,
    auditors,
    catalog_writes,
    code,
    everyone,
    managers,
    not_oneself,
    owner_only,
    pk,
    scoped,
    signed_in,
)

OBJECTS: dict[str, Callable[[Any], Any]] = {
    "province": lambda w: w.province,
    "county": lambda w: w.county,
    "township_hk": lambda w: w.township_hk,
    "village_taoyuan": lambda w: w.village_taoyuan,
    "community_jiefang": lambda w: w.community_jiefang,
    "other_county": lambda w: w.other_county,
    "other_township": lambda w: Region.objects.get(code="428522100000"),
    "other_village": lambda w: w.other_village,
    "dept_rs": lambda w: w.dept_rs,
    "dept_hk": lambda w: Department.objects.get(name="河口镇党委政府"),
    "dept_bb": lambda w: Department.objects.get(name="县委编办"),
    "other_dept": lambda w: w.other_dept,
    "user_taoyuan": lambda w: w.village_cadre,
    "user_rs_clerk": lambda w: w.dept_clerk,
    "user_outsider": lambda w: w.outsider,
    "token_taoyuan": lambda w: services.api_token_create(actor=w.village_cadre, name="桃园村对接")[0],
    "list_published": lambda w: _list(w.county, "duty", publish=True),
    "list_draft": lambda w: _list(w.county, "assist"),
    "other_list_draft": lambda w: _list(w.other_county, "assist"),
}


def _list(region, kind, publish=False):
    draft = catalog_services.worklist_start_draft(actor=None, kind=kind, region=region, title="矩阵清单")
    catalog_services.item_save(actor=None, work_list=draft, code="M-001", content="矩阵事项：调解民间纠纷")
    draft.refresh_from_db()  # adding the item bumped the list's revision
    if not publish:
        return draft
    return catalog_services.worklist_publish(
        actor=None,
        work_list=draft,
        effective_from=date(2024, 1, 1),
        studied_by="县政府常务会议",
        studied_on=date(2023, 12, 20),
        approved_by="县委常委会会议",
        approved_on=date(2024, 1, 1),
    )


REGIONS = (
    "province",
    "county",
    "township_hk",
    "village_taoyuan",
    "community_jiefang",
    "other_county",
    "other_village",
)
DEPARTMENTS = ("dept_rs", "dept_hk", "dept_bb", "other_dept")
USERS = ("user_taoyuan", "user_rs_clerk", "user_outsider")
TO_REGIONS = Redirect("/orgs/regions/")
TO_DEPARTMENTS = Redirect("/orgs/departments/")
TO_USERS = Redirect("/orgs/users/")
TO_ROLES = Redirect("/orgs/roles/")
COUNTIES = ("county", "other_county")


def _role_kwargs(region):
    return {"code": region.code, "role": "township"}


def _role_form(region):
    return {"capabilities": ["orgs.view", "work.decline"], "reason": "矩阵", "version": 0}


TO_ACCOUNT = Redirect("/accounts/me/")


def _department_form(d):
    return {
        "name": d.name,
        "short_name": d.short_name,
        "region": d.region_id,
        "kind": d.kind,
        "is_member_unit": "on" if d.is_member_unit else "",
        "version": d.version,
    }


def _user_form(u):
    return {
        "username": u.username,
        "full_name": u.full_name,
        "phone": u.phone,
        "home_region": u.home_region_id,
        "department": u.department_id or "",
        "version": u.version,
    }


def _new_village(township):
    return {
        "code": township.code[:9] + "299",
        "name": "矩阵新村",
        "level": 5,
        "kind": "village",
        "parent_code": township.code,
    }


LISTS = ("list_published", "list_draft", "other_list_draft")
DRAFTS = ("list_draft", "other_list_draft")
LIST_PAGE = Redirect("/lists/")


def _item_kwargs(work_list):
    return {"pk": work_list.pk, "item_pk": work_list.items.first().pk}


def public_only():
    """Public pages show issued lists to everyone, signed in or not; drafts are a 404."""
    return lambda p, t: 200 if t == "list_published" else 404


EXPORT_KINDS = ("regions", "departments", "users", "nonsense")
OBJECTS.update({f"kind:{k}": (lambda w, k=k: k) for k in EXPORT_KINDS})

ROUTES: dict[str, Case | tuple[Case, ...]] = {
    # Public and account pages
    "landing": Case(lambda p, t: 200 if p == ANON else Redirect("/home/")),
    "home": Case(signed_in(200)),
    "public_home": Case(everyone(200)),  # the residents' front door
    "favicon": Case(everyone(Redirect("/static/field/icon-192.png"))),
    # No worker beats in the test world, so the load balancer is told 503 (tests/jobs/test_health.py has the 200).
    "healthz": Case(everyone(503)),
    "calendar": Case(signed_in(200)),
    "calendar_day": (
        Case(signed_in(405)),
        Case(
            managers(Redirect("/calendar/")),
            "post",
            data=lambda o: {"day": "2027-01-01", "is_workday": "0", "name": "元旦"},
        ),
    ),
    "calendar_announce": (
        Case(signed_in(405)),
        Case(managers(Redirect("/calendar/")), "post", data=lambda o: {"year": "2030", "source": "通知"}),
    ),
    "login": Case(everyone(200)),
    "logout": (Case(everyone(405)), Case(everyone(LOGIN), method="post", logs_out=True)),
    "account": Case(signed_in(200)),
    "token_create": (
        Case(signed_in(405)),
        Case(signed_in(TO_ACCOUNT), "post", data=lambda o: {"name": "矩阵"}),
    ),
    "token_revoke": Case(owner_only("village_cadre", TO_ACCOUNT), "post", ("token_taoyuan",), pk),
    # Regions
    "orgs:region_list": Case(signed_in(200)),
    "orgs:region_create": (Case(managers(200)), Case(managers(200), "post", data=lambda o: {})),
    "orgs:region_detail": Case(scoped(), targets=REGIONS, kwargs=code),
    "orgs:region_edit": (
        Case(managers(200), targets=("county", "village_taoyuan", "other_village"), kwargs=code),
        Case(
            managers(TO_REGIONS),
            "post",
            ("village_taoyuan", "other_village"),
            code,
            lambda r: {"name": r.name + "（矩阵）", "kind": r.kind, "version": r.version},
        ),
    ),
    "orgs:region_toggle": (
        Case(signed_in(405), targets=("village_taoyuan",), kwargs=code),
        Case(managers(TO_REGIONS), "post", ("village_taoyuan", "other_village"), code),
    ),
    # Departments
    "orgs:department_list": Case(signed_in(200)),
    "orgs:department_create": (Case(managers(200)), Case(managers(200), "post", data=lambda o: {})),
    "orgs:department_detail": Case(scoped(), targets=DEPARTMENTS, kwargs=pk),
    "orgs:department_edit": (
        Case(managers(200, load_first=True), targets=DEPARTMENTS, kwargs=pk),
        Case(
            managers(TO_DEPARTMENTS, load_first=True), "post", ("dept_rs", "other_dept"), pk, _department_form
        ),
    ),
    "orgs:department_toggle": (
        Case(signed_in(405), targets=("dept_rs",), kwargs=pk),
        Case(managers(TO_DEPARTMENTS), "post", ("dept_rs", "other_dept"), pk),
    ),
    # Users and roles
    "orgs:user_list": Case(signed_in(200)),
    "orgs:user_create": (Case(managers(200)), Case(managers(200), "post", data=lambda o: {})),
    "orgs:user_detail": Case(scoped(), targets=USERS, kwargs=pk),
    "orgs:user_edit": (
        Case(managers(200, load_first=True), targets=USERS, kwargs=pk),
        Case(managers(TO_USERS, load_first=True), "post", ("user_taoyuan", "user_outsider"), pk, _user_form),
    ),
    "orgs:user_grant": Case(
        not_oneself(managers(TO_USERS)),
        "post",
        ("user_taoyuan", "user_outsider"),
        pk,
        lambda u: {"role": "monitor", "region": u.home_region_id},
    ),
    "orgs:user_revoke": Case(
        managers(TO_USERS),
        "post",
        ("user_taoyuan", "user_outsider"),
        lambda u: {"pk": u.pk, "assignment_pk": u.role_assignments.first().pk},
    ),
    "orgs:user_unlock": Case(managers(TO_USERS), "post", ("user_taoyuan", "user_outsider"), pk),
    "orgs:user_toggle": (
        Case(signed_in(405), targets=("user_taoyuan",), kwargs=pk),
        Case(managers(TO_USERS), "post", ("user_taoyuan", "user_outsider"), pk),
    ),
    # Role settings: an administrator adjusts roles in their own county (another county's is a 404).
    "orgs:role_settings": Case(managers(TO_ROLES)),
    "orgs:role_table": Case(managers(200), targets=COUNTIES, kwargs=code),
    "orgs:role_edit": (
        Case(managers(200), targets=COUNTIES, kwargs=_role_kwargs),
        Case(managers(TO_ROLES), "post", COUNTIES, _role_kwargs, _role_form),
    ),
    "orgs:role_reset": (
        Case(signed_in(405), targets=("county",), kwargs=_role_kwargs),
        Case(managers(TO_ROLES), "post", COUNTIES, _role_kwargs),
    ),
    "orgs:import": (Case(managers(200)), Case(managers(200), "post", data=lambda o: {})),
    "orgs:export_work": Case(
        lambda p, t: LOGIN if p == ANON else (404 if t == "kind:nonsense" else Redirect("/jobs/work/")),
        "post",
        targets=tuple(f"kind:{k}" for k in EXPORT_KINDS),
        kwargs=lambda k: {"kind": k},
    ),
    "orgs:export": Case(
        lambda p, t: LOGIN if p == ANON else (404 if t == "kind:nonsense" else 200),
        targets=tuple(f"kind:{k}" for k in EXPORT_KINDS),
        kwargs=lambda k: {"kind": k},
    ),
    # Audit (separation of duties)
    "audit:list": Case(auditors(200)),
    "audit:export": Case(auditors(200)),
    # the result page lists every chain (one per county) by name
    "audit:verify": (Case(signed_in(405)), Case(auditors(200), "post")),
    # API: public description, then the endpoints (401 JSON for anonymous)
    "api:openapi-json": Case(everyone(200)),
    "api:openapi-view": Case(everyone(200)),
    "api:api-root": Case(everyone(404)),
    "api:me": Case(signed_in(200, anon=401)),
    "api:region_list": Case(signed_in(200, anon=401)),
    "api:region_create": Case(
        managers(201, anon=401, load_first=True), "post", ("township_hk", "other_township"), data=_new_village
    ),
    "api:region_detail": Case(scoped(anon=401), targets=REGIONS, kwargs=code),
    "api:region_update": Case(
        managers(200, anon=401, load_first=True),
        "patch",
        ("village_taoyuan", "other_village"),
        code,
        lambda r: {"version": r.version, "name": "矩阵改名"},
    ),
    "api:role_table": Case(managers(200, anon=401), targets=COUNTIES, kwargs=code),
    "api:role_setting_save": Case(managers(200, anon=401), "put", COUNTIES, _role_kwargs, _role_form),
    "api:role_setting_reset": Case(managers(400, anon=401), "delete", COUNTIES, _role_kwargs),
    "api:department_list": Case(signed_in(200, anon=401)),
    "api:department_create": Case(
        managers(201, anon=401, load_first=True),
        "post",
        ("county", "other_county"),
        data=lambda r: {"name": "矩阵测试局", "region_code": r.code},
    ),
    "api:department_detail": Case(scoped(anon=401), targets=DEPARTMENTS, kwargs=pk),
    "api:department_update": Case(
        managers(200, anon=401, load_first=True),
        "patch",
        ("dept_rs", "other_dept"),
        pk,
        lambda d: {"version": d.version, "short_name": "矩阵"},
    ),
    "api:user_list": Case(signed_in(200, anon=401)),
    "api:user_detail": Case(scoped(anon=401), targets=USERS, kwargs=pk),
    # Lists (清单): staff pages, public pages, API
    "catalog:index": Case(signed_in(200)),
    "catalog:classify": (
        Case(signed_in(200)),
        Case(signed_in(200), "post", data=lambda o: {"texts": "调解邻里纠纷", "mode": "work"}),
    ),
    "catalog:draft_start": (
        Case(signed_in(405)),
        Case(
            lambda p, t: LOGIN if p == ANON else (Redirect("/lists/") if p in CATALOG_MANAGERS else 403),
            "post",
            data=lambda o: {"kind": "negative", "region": "", "title": "矩阵"},
        ),
    ),
    "catalog:detail": Case(scoped(), targets=LISTS, kwargs=pk),
    "catalog:diff": Case(scoped(), targets=LISTS, kwargs=pk),
    "catalog:print": Case(scoped(), targets=LISTS, kwargs=pk),
    "catalog:export": Case(scoped(), targets=LISTS, kwargs=pk),
    "catalog:draft_edit": (
        Case(catalog_writes(200), targets=DRAFTS, kwargs=pk),
        Case(
            catalog_writes(LIST_PAGE),
            "post",
            DRAFTS,
            pk,
            lambda w: {"title": "矩阵改名", "revision": w.revision},
        ),
    ),
    "catalog:item_new": (
        Case(catalog_writes(200), targets=DRAFTS, kwargs=pk),
        Case(catalog_writes(LIST_PAGE), "post", DRAFTS, pk, lambda w: {"content": "矩阵新增事项"}),
    ),
    "catalog:item_edit": Case(catalog_writes(200), targets=DRAFTS, kwargs=_item_kwargs),
    "catalog:item_remove": (
        Case(signed_in(405), targets=("list_draft",), kwargs=_item_kwargs),
        Case(catalog_writes(LIST_PAGE), "post", DRAFTS, _item_kwargs),
    ),
    "catalog:import": Case(catalog_writes(200), targets=DRAFTS, kwargs=pk),
    "catalog:retire": Case(catalog_writes(200), targets=("list_published",), kwargs=pk),
    "catalog:discard": (
        Case(signed_in(405), targets=("list_draft",), kwargs=pk),
        Case(catalog_writes(Redirect("/lists/")), "post", DRAFTS, pk),
    ),
    "public_lists:lists": Case(everyone(200)),
    "public_lists:detail": Case(public_only(), targets=LISTS, kwargs=pk),
    "public_lists:diff": Case(public_only(), targets=LISTS, kwargs=pk),
    "public_lists:print": Case(public_only(), targets=LISTS, kwargs=pk),
    "public_lists:export": Case(public_only(), targets=LISTS, kwargs=pk),
    "api:lists_in_force": Case(
        lambda p, t: 401 if p == ANON else 200,
        targets=("county",),
        kwargs=lambda r: {},
        query=lambda r: {"region_code": r.code},
    ),
    "api:list_detail": Case(scoped(anon=401), targets=LISTS, kwargs=pk),
    "api:list_diff": Case(scoped(anon=401), targets=LISTS, kwargs=pk),
    "api:draft_start": Case(
        lambda p, t: 401 if p == ANON else (201 if p in CATALOG_MANAGERS else 403),
        "post",
        ("county",),
        data=lambda r: {"kind": "negative", "region_code": r.code, "title": "矩阵"},
    ),
    "api:item_add": Case(
        catalog_writes(201, anon=401), "post", DRAFTS, pk, lambda w: {"content": "矩阵新增事项"}
    ),
    "api:item_update": Case(
        catalog_writes(200, anon=401),
        "patch",
        DRAFTS,
        _item_kwargs,
        lambda w: {"revision": 1, "content": "矩阵修改"},
    ),
    "api:item_remove": Case(catalog_writes(204, anon=401), "delete", DRAFTS, _item_kwargs),
    "api:retire": Case(
        catalog_writes(200, anon=401),
        "post",
        ("list_published",),
        pk,
        lambda w: {"effective_to": "2025-12-31", "reason": "矩阵"},
    ),
    "api:classify_texts": Case(
        signed_in(200, anon=401),
        "post",
        ("county",),
        data=lambda r: {"texts": ["调解邻里纠纷"], "region_code": r.code},
    ),
    "api:records": Case(auditors(200, anon=401)),
    "api:verify": Case(auditors(200, anon=401), "post"),
}


def _merge_domain_cases() -> None:
    """Each later app keeps its cases in ``tests/matrix/<app>.py``: ``ROUTES``, ``OBJECTS`` and ``SEES`` rows."""
    for info in pkgutil.iter_modules(matrix_package.__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"tests.matrix.{info.name}")
        for table, rows in ((ROUTES, module.ROUTES), (OBJECTS, module.OBJECTS), (SEES, module.SEES)):
            clash = set(table) & set(rows)
            assert not clash, f"tests/matrix/{info.name}.py repeats {sorted(clash)}"
            table.update(rows)
        ROUTE_FILE.update(dict.fromkeys(module.ROUTES, info.name))
        if info.name in ONLY_MODULES:
            ONLY_ROUTES.update(module.ROUTES)
            ONLY_OBJECTS.update(module.OBJECTS)


# While working on one app, ``JIANFU_MATRIX=grid`` (or ``grid,forms``) walks only the routes and builds only the
# objects of those tests/matrix modules; unset, as in `make test`, the matrix walks everything.
ONLY_MODULES = {name for name in os.environ.get("JIANFU_MATRIX", "").split(",") if name}
ONLY_ROUTES: set[str] = set()
ONLY_OBJECTS: dict[str, Callable[[Any], Any]] = {}
# The regions and departments this module makes itself: cheap, and named as targets by several modules' cases.
BASE_OBJECTS = dict(OBJECTS)
# Which file keeps each route's cases ("platform": this one; else the tests/matrix module's name). Each persona walks
# each file's routes as a test item of its own, so that xdist spreads the walks over its workers.
ROUTE_FILE: dict[str, str] = dict.fromkeys(ROUTES, "platform")


_merge_domain_cases()
WALKED_FILES = sorted(ONLY_MODULES) if ONLY_MODULES else sorted(set(ROUTE_FILE.values()))

# The Django admin: one rule for the whole namespace (see the module docstring).
# The admin's own login page hands over to the platform's login (lockout and audit apply there).
ADMIN_RULES = {"admin:login": Redirect("/accounts/login/"), "admin:logout": Redirect("/admin/")}
ADMIN_DEFAULT = ADMIN_LOGIN
ADMIN_DUMMY_KWARGS = {"app_label": "orgs", "object_id": "1", "content_type_id": "1", "url": "no-such-page/"}


# Walking the resolver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced, e.g. "orgs:region_list"; None for an unnamed pattern
    pattern: str  # the full pattern text, for messages and for unnamed admin routes


def walk(resolver=None, namespaces=(), prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from walk(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(name, prefix + str(entry.pattern))


def _is_admin(route: Route) -> bool:
    return route.pattern.startswith("admin/")


def _admin_url(route: Route) -> str:
    if route.name:
        params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route.pattern)
        kwargs = {name: ADMIN_DUMMY_KWARGS[name] for pair in params for name in pair if name}
        return reverse(route.name, kwargs=kwargs)
    filled = re.sub(r"<[^>]+>", "1", route.pattern).replace("(?P<url>.*)$", "no-such-page/")
    return "/" + filled


def uncovered(routes) -> dict[str, list[str]]:
    """Routes the table does not cover, and cases for routes that are gone."""
    return {
        "routes without a name (name them and add a case)": [
            r.pattern for r in routes if r.name is None and not _is_admin(r)
        ],
        "routes without a case in ROUTES (add one)": sorted(
            {r.name for r in routes if r.name and not _is_admin(r)} - set(ROUTES)
        ),
        "cases for routes that no longer exist": sorted(set(ROUTES) - {r.name for r in routes}),
        "admin-looking routes outside the admin namespace": [
            r.name for r in routes if _is_admin(r) and r.name and not r.name.startswith("admin:")
        ],
    }


def test_it_has_a_case_for_every_route():
    routes = list(walk())
    problems = {label: items for label, items in uncovered(routes).items() if items}
    assert not problems, problems
    assert any(r.name == "admin:orgs_region_changelist" for r in routes), "the admin rule walks nothing"
    assert {r.name for r in routes if r.name and r.name.startswith("api:")} >= {"api:me", "api:verify"}


def test_it_would_fail_for_a_new_route_added_without_a_case():
    def view(request):
        return None

    grown = URLResolver(
        RoutePattern(""),
        [*get_resolver().url_patterns, path("brand-new/", view, name="brand_new"), path("nameless/", view)],
    )
    problems = uncovered(list(walk(grown)))
    assert problems["routes without a case in ROUTES (add one)"] == ["brand_new"]
    assert problems["routes without a name (name them and add a case)"] == ["nameless/"]


# Running one request in isolation ---------------------------------------------------------------------


def _business_models():
    """Every model of the platform's own apps except the audit log (counted separately below)."""
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("jianfu.") and m._meta.app_label != "audit" and not m._meta.proxy
    ]


@functools.cache
def _fingerprint_sql() -> str:
    """Counts, version sums and active counts of every business table plus the successful non-login audit
    rows: any write moves it, since every state change bumps a ``version`` (or ``revision``) or adds a row.
    Refused attempts may leave a failure record in the audit log; that is not a change of data."""
    parts = []
    for model in _business_models():
        table, fields = model._meta.db_table, {f.column for f in model._meta.concrete_fields}
        parts.append(f"SELECT COUNT(*) FROM {table}")
        parts += [f"SELECT SUM({col}) FROM {table}" for col in ("version", "revision") if col in fields]
        if "is_active" in fields:
            parts.append(f"SELECT COUNT(*) FROM {table} WHERE is_active")
        if "revoked_at" in fields:
            parts.append(f"SELECT COUNT(*) FROM {table} WHERE revoked_at IS NOT NULL")
    parts.append(
        f"SELECT COUNT(*) FROM {AuditRecord._meta.db_table} WHERE action NOT LIKE 'auth.%' AND success"
    )
    return "SELECT " + ", ".join(f"({part})" for part in parts)


def fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(cursor.fetchone())


# Statements that cannot change data; anything else (INSERT, UPDATE, DELETE, WITH …) wakes the probe.
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA")


class _FirstWriteProbe:
    """Takes the fingerprint just before the first statement that may write, so the many requests that write
    nothing cost no fingerprint (with a hundred tables it is the matrix's main cost). A write that its
    service then rolls back leaves the fingerprint as it was, exactly as before."""

    def __init__(self):
        self.before = None
        self._taking = False

    def __call__(self, execute, sql, params, many, context):
        if self.before is None and not self._taking and not sql.lstrip().upper().startswith(_READS):
            self._taking = True
            try:
                self.before = fingerprint()
            finally:
                self._taking = False
        return execute(sql, params, many, context)


def send_isolated(client, method, url, data, watch=True):
    """Send one request inside a savepoint that is rolled back; report whether it changed any data."""
    with transaction.atomic():
        probe = _FirstWriteProbe()
        with connection.execute_wrapper(probe) if watch else contextlib.nullcontext():
            response = _send(client, method, url, data)
        changed = probe.before is not None and fingerprint() != probe.before
        transaction.set_rollback(True)
    return response, changed


def _refusal(expected) -> bool:
    return expected in (400, 401, 403, 404, 405) or expected in (LOGIN, ADMIN_LOGIN)


def _outcome_matches(response, expected) -> bool:
    if isinstance(expected, Redirect):
        return response.status_code == 302 and response["Location"].startswith(expected.prefix)
    return response.status_code == expected


def _describe(response) -> str:
    where = f" → {response['Location']}" if response.status_code in (301, 302) else ""
    return f"{response.status_code}{where}"


def _send(client, method, url, data):
    if url.startswith("/api/"):
        body = json.dumps(data or {}) if method != "get" else None
        return (
            getattr(client, method)(url, body, content_type="application/json") if body else client.get(url)
        )
    return getattr(client, method)(url, data or {})


def check(client, persona, name, case, target, obj):
    """Send one request inside a rolled-back savepoint; return a mismatch message or None."""
    url = reverse(name, kwargs=case.kwargs(obj)) if target else reverse(name)
    if case.query:
        url += "?" + urlencode(case.query(obj))
    expected = case.expect(persona, target)
    data = case.data(obj) if case.data else None
    response, changed = send_isolated(client, case.method, url, data, watch=_refusal(expected))
    label = f"{persona:<16} {case.method.upper():<5} {url} ({name}{', ' + target if target else ''})"
    if not _outcome_matches(response, expected):
        return f"{label}: expected {expected}, got {_describe(response)}"
    if _refusal(expected) and changed:
        return f"{label}: refused with {response.status_code} but the data changed"
    if url.startswith("/api/v1/") and expected in ERROR_CODES and name != "api:api-root":
        if response.json().get("error", {}).get("code") != ERROR_CODES[expected]:
            return f"{label}: error body {response.content[:200]!r} is not the JSON error shape"
    return None


def _sign_in(client, world, persona):
    if persona == ANON:
        return
    client.force_login(world.people[persona])
    # Slide the session now, outside the rolled-back requests: else every request's savepoint drops the slide and
    # the next request writes the session again (a write per request, and a fingerprint taken for each).
    session = client.session
    session[SlidingSessionMiddleware.KEY] = int(time.time())
    session.save()


# The inspector's own account and own duty (verifying the chain) change no business data.
INSPECTOR_MAY = {
    "logout",
    "token_create",
    "token_revoke",
    "audit:verify",
    "api:verify",
    "catalog:classify",
    "api:classify_texts",
    "api:admission_check",
}  # comparing text against lists writes nothing
# An app adds the writes that are the inspector's own duty (publishing a bulletin, taking in a problem clue) or
# that anyone may make on a public page, as ``INSPECTOR_MAY`` in its ``tests/matrix/<app>.py``.
for _info in pkgutil.iter_modules(matrix_package.__path__):
    INSPECTOR_MAY |= getattr(importlib.import_module(f"tests.matrix.{_info.name}"), "INSPECTOR_MAY", set())


@pytest.fixture(scope="class")
def shared(django_db_setup, django_db_blocker):
    """The demo world and every case's objects, built once per class (per xdist worker) in a transaction that is
    rolled back at the end. Each test runs in a savepoint inside it (pytest-django's ``db``) and each request in
    one more (``send_isolated``), so every walk starts from the same data and no walk sees another's writes."""
    makers = {**BASE_OBJECTS, **ONLY_OBJECTS} if ONLY_MODULES else OBJECTS
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world, {label: make(world) for label, make in makers.items()}
        transaction.set_rollback(True)


@pytest.mark.django_db
class TestEveryRoute:
    """The walks over the URL resolver, sharing one built world (building it costs more than most walks)."""

    @pytest.mark.parametrize("file", WALKED_FILES)
    @pytest.mark.parametrize("persona", ALL)
    def test_it_gives_each_persona_the_expected_answer_on_every_route(self, persona, file, shared, client):
        """One item per persona and per file of cases; together they cover every named non-admin route."""
        world, objects = shared
        _sign_in(client, world, persona)
        mismatches, checked = [], 0
        for route in walk():
            if route.name is None or _is_admin(route) or ROUTE_FILE.get(route.name) != file:
                continue
            for case in _cases(ROUTES[route.name]):
                for target in case.targets:
                    problem = check(client, persona, route.name, case, target, objects.get(target))
                    checked += 1
                    if problem:
                        mismatches.append(problem)
                    if case.logs_out:
                        _sign_in(client, world, persona)
        assert checked, f"no route of {file} was walked"
        assert not mismatches, f"{len(mismatches)} mismatches for {persona}:\n" + "\n".join(mismatches)

    def test_it_walks_every_route_in_exactly_one_item(self):
        named = {r.name for r in walk() if r.name and not _is_admin(r)}
        assert set(ROUTE_FILE) == set(ROUTES) and named <= set(ROUTE_FILE)
        assert ONLY_MODULES or set(WALKED_FILES) == set(ROUTE_FILE.values())

    def test_it_refuses_the_inspector_every_write_route(self, shared, client):
        world, objects = shared
        objects = {**objects, **{k: make(world) for k, make in OBJECTS.items() if k not in objects}}
        client.force_login(world.inspector)
        wrong, checked = [], 0
        for name, entry in ROUTES.items():
            for case in _cases(entry):
                if name in INSPECTOR_MAY or (
                    case.method == "get" and not getattr(case.expect, "writes", False)
                ):
                    continue
                for target in case.targets:
                    obj = objects.get(target)
                    url = reverse(name, kwargs=case.kwargs(obj)) if target else reverse(name)
                    response, changed = send_isolated(
                        client, case.method, url, case.data(obj) if case.data else None
                    )
                    allowed = {403} if target is None or "inspector" in SEES[target] else {403, 404}
                    checked += 1
                    if response.status_code not in allowed or changed:
                        wrong.append(f"{case.method.upper()} {url}: {_describe(response)}, changed={changed}")
        assert checked > 25 and not wrong, "\n".join(wrong)

    @pytest.mark.parametrize("persona", ["admin", "inspector", "village_cadre", "outsider", ANON])
    def test_it_sends_everyone_who_is_not_staff_from_every_admin_route_to_the_admin_login(
        self, persona, shared, client
    ):
        world, _ = shared
        _sign_in(client, world, persona)
        mismatches = []
        for route in walk():
            if not _is_admin(route):
                continue
            url = _admin_url(route)
            expected = ADMIN_RULES.get(route.name, ADMIN_DEFAULT)
            response = client.get(url)
            if not _outcome_matches(response, expected):
                mismatches.append(
                    f"{persona} GET {url} ({route.name or route.pattern}): expected {expected}, "
                    f"got {_describe(response)}"
                )
        assert not mismatches, "\n".join(mismatches)


def test_it_scopes_the_admin_back_office_for_staff_who_are_not_superusers(world, client):
    User.objects.filter(pk__in=[world.admin.pk, world.inspector.pk]).update(is_staff=True)
    client.force_login(world.admin)
    page = client.get("/admin/orgs/region/?all=")
    assert page.status_code == 200
    codes = {r.code for r in page.context["cl"].result_list}
    assert world.county.code in codes and world.other_county.code not in codes
    other = client.get(f"/admin/orgs/region/{world.other_county.pk}/change/")
    assert other.status_code == 302 and other["Location"] == "/admin/"  # "does not exist", back to the index
    departments = client.get("/admin/orgs/department/").context["cl"].result_list
    assert world.other_dept not in departments and world.dept_rs in departments
    assert world.outsider not in client.get("/admin/orgs/user/").context["cl"].result_list
    assignments = client.get("/admin/orgs/roleassignment/").context["cl"].result_list
    assert all(not a.region.code.startswith("428522") for a in assignments)
    assert client.get("/admin/audit/auditrecord/").status_code == 403  # the administrator reads no audit log

    services.department_create(
        actor=world.outsider, name="东岭县人社局", region=world.other_county, kind="government"
    )
    services.department_create(actor=world.admin, name="县档案馆", region=world.county, kind="government")
    client.force_login(world.inspector)
    records = client.get("/admin/audit/auditrecord/").context["cl"].result_list
    assert records and all(r.region_code.startswith("428521") for r in records)


# Audit rows follow the region they concern (both directions; the 东岭县 inspector is not a named persona) ----


def _dongling_inspector():
    person = services.user_create(
        actor=None,
        username="dl_inspector",
        full_name="东岭县纪委监委",
        password="Jianfu@2026",
        home_region=Region.objects.get(code="428522000000"),
    )
    services.role_grant(actor=None, user=person, role="inspector", region=person.home_region)
    return person


def _audit_row_reads(client, record) -> dict:
    """Where an inspector may meet one audit record: list, Excel export, API list, page and API detail."""
    listed = f'"/audit/{record.seq}/"' in client.get("/audit/", {"q": record.object_repr}).content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/audit/export.xlsx").content), read_only=True).worksheets[0]
    exported = record.seq in {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    api = {r["seq"] for r in client.get("/api/v1/audit/records", {"page_size": 200}).json()["items"]}
    return {
        "list": listed,
        "export": exported,
        "api": record.seq in api,
        "page": client.get(f"/audit/{record.seq}/").status_code,
        "api_detail": client.get(f"/api/v1/audit/records/{record.seq}").status_code,
    }


@pytest.mark.parametrize("reader", ["qinghe", "dongling"])
def test_it_shows_each_county_inspector_only_its_own_write_ins(reader, world, client):
    from tests.matrix.audit import DONGLING_COMMUNITY, write_in_audit_record

    rows = {
        "qinghe": write_in_audit_record(world.community_jiefang.code),
        "dongling": write_in_audit_record(DONGLING_COMMUNITY),
    }
    assert (rows["qinghe"].region_code, rows["dongling"].region_code) == ("428521001001", DONGLING_COMMUNITY)
    client.force_login(world.inspector if reader == "qinghe" else _dongling_inspector())
    for whose, record in rows.items():
        own = whose == reader
        seen = {
            "list": own,
            "export": own,
            "api": own,
            "page": 200 if own else 404,
            "api_detail": 200 if own else 404,
        }
        assert _audit_row_reads(client, record) == seen, f"{reader} reading {whose}'s write-in"


# Receipts of a work notice: each village sees its own, a township its villages', the county every one -----

RECEIPT_READERS = {
    **dict.fromkeys(
        ("admin", "office", "chair", "monitor", "inspector", "dept_clerk"), {"taoyuan", "jiefang"}
    ),
    "town_hk": {"taoyuan"},
    "town_cg": {"jiefang"},
    "village_cadre": {"taoyuan"},
    "community_cadre": {"jiefang"},
}


@pytest.mark.parametrize("persona", sorted(RECEIPT_READERS))
def test_it_shows_each_persona_only_the_receipts_of_a_notice_in_its_scope(persona, world, client):
    from tests.matrix.admission import _approved

    notice = _approved(world).notice
    signers = {"taoyuan": world.village_cadre, "jiefang": world.community_cadre}
    regions = {"taoyuan": world.village_taoyuan, "jiefang": world.community_jiefang}
    for key, person in signers.items():
        admission_filing.notice_acknowledge(
            actor=person, recipient=notice.recipients.get(region=regions[key])
        )
    client.force_login(world.people[persona])
    page = client.get(f"/admission/items/{notice.item_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    shown = {key for key, person in signers.items() if person.full_name in text}
    assert shown == RECEIPT_READERS[persona], f"{persona} sees the receipts of {shown}"
    export = client.get(f"/admission/{notice.application_id}/archive.xlsx")
    if export.status_code == 200:
        sheet = load_workbook(io.BytesIO(export.content), read_only=True)["告知单及签收"]
        exported = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
        hidden = {regions[key].code for key in regions.keys() - RECEIPT_READERS[persona]}
        assert {regions[key].code for key in RECEIPT_READERS[persona]} <= exported and not exported & hidden


# Writes that try to cross the county line ---------------------------------------------------------------


def _json(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_it_refuses_the_county_admin_creating_a_department_in_the_neighbouring_county(world, client):
    client.force_login(world.admin)
    before = fingerprint()
    page = client.post(
        "/orgs/departments/new/", {"name": "越界局", "region": world.other_county.pk, "kind": "government"}
    )
    assert page.status_code == 200 and "region" in page.context["form"].errors
    api = _json(
        client, "post", "/api/v1/departments", {"name": "越界局", "region_code": world.other_county.code}
    )
    error = api.json()["error"]
    assert (
        api.status_code == 404 and error["code"] == "not_found"
    )  # another county's region is not even named
    with pytest.raises(ValidationError):
        services.department_create(
            actor=world.admin, name="越界局", region=world.other_county, kind="government"
        )
    assert fingerprint() == before and not Department.objects.filter(name="越界局").exists()
    services.department_create(actor=world.admin, name="县档案馆", region=world.county, kind="government")
    assert fingerprint() != before  # the fingerprint does see a write


def test_it_notices_a_write_made_by_a_request_and_not_one_rolled_back(world, client):
    client.force_login(world.admin)
    form = {"name": "县档案馆", "region": world.county.pk, "kind": "government"}
    _, changed = send_isolated(client, "post", "/orgs/departments/new/", form)
    assert changed
    _, changed = send_isolated(
        client, "post", "/orgs/departments/new/", {**form, "region": world.other_county.pk}
    )
    assert not changed
    _, changed = send_isolated(client, "get", "/orgs/departments/", None)
    assert not changed


def test_it_refuses_the_county_admin_creating_a_village_under_the_neighbouring_county(world, client):
    client.force_login(world.admin)
    other_township = Region.objects.get(code="428522100000")
    before = fingerprint()
    form = {
        "code": "428522100299",
        "name": "越界村",
        "level": 5,
        "kind": "village",
        "parent": other_township.pk,
    }
    page = client.post("/orgs/regions/new/", form)
    assert page.status_code == 200 and "parent" in page.context["form"].errors
    api = _json(client, "post", "/api/v1/regions", {**form, "parent_code": other_township.code})
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    assert fingerprint() == before and not Region.objects.filter(code="428522100299").exists()


def test_it_refuses_moving_a_department_into_the_neighbouring_county(world, client):
    client.force_login(world.admin)
    department = world.dept_rs
    before = fingerprint()
    page = client.post(
        f"/orgs/departments/{department.pk}/edit/",
        {**_department_form(department), "region": world.other_county.pk},
    )
    assert page.status_code == 200 and "region" in page.context["form"].errors
    api = _json(
        client,
        "patch",
        f"/api/v1/departments/{department.pk}",
        {"version": department.version, "region_code": world.other_county.code},
    )
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    with pytest.raises(ValidationError):
        services.department_update(
            actor=world.admin, department=department, expected_version=None, region=world.other_county
        )
    department.refresh_from_db()
    assert (department.region_id, department.version) == (world.county.pk, 1)
    assert fingerprint() == before


def test_it_refuses_moving_a_user_into_the_neighbouring_county(world, client):
    client.force_login(world.admin)
    person = world.village_cadre
    before = fingerprint()
    page = client.post(
        f"/orgs/users/{person.pk}/edit/", {**_user_form(person), "home_region": world.other_village.pk}
    )
    assert page.status_code == 200 and "home_region" in page.context["form"].errors
    page = client.post(
        f"/orgs/users/{person.pk}/edit/", {**_user_form(person), "department": world.other_dept.pk}
    )
    assert page.status_code == 200 and "department" in page.context["form"].errors
    with pytest.raises(ValidationError):
        services.user_update(
            actor=world.admin, user=person, expected_version=None, home_region=world.other_village
        )
    person.refresh_from_db()
    assert person.home_region_id == world.village_taoyuan.pk and fingerprint() == before


def test_it_answers_404_when_the_outsider_patches_or_toggles_a_qinghe_region(world, client):
    client.force_login(world.outsider)
    before = fingerprint()
    region = world.township_hk
    api = _json(
        client, "patch", f"/api/v1/regions/{region.code}", {"version": region.version, "name": "被改名"}
    )
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    page = client.post(f"/orgs/regions/{region.code}/edit/", {"name": "被改名", "kind": region.kind})
    assert page.status_code == 404
    assert client.post(f"/orgs/regions/{region.code}/toggle/").status_code == 404
    region.refresh_from_db()
    assert (region.name, region.version, region.is_active) == ("河口镇", 1, True)
    assert fingerprint() == before


def test_it_refuses_a_whole_import_when_one_row_lies_in_the_neighbouring_county(world, client):
    client.force_login(world.admin)
    sheet = Workbook()
    sheet.active.append(IMPORT_COLUMNS["departments"])
    sheet.active.append(["县档案馆", "", world.county.code, "政府部门", "否"])
    sheet.active.append(["越界局", "", world.other_county.code, "政府部门", "否"])
    upload = io.BytesIO()
    sheet.save(upload)
    response = client.post(
        "/orgs/import/",
        {"kind": "departments", "file": SimpleUploadedFile("departments.xlsx", upload.getvalue())},
    )
    assert response.status_code == 302  # the worker checks and writes the file; the request is recorded
    before = fingerprint()
    assert run_queued_tasks() == 1
    work = client.get(response["Location"]).context["work"]
    assert any("第 3 行" in e and "不在您的管辖范围内" in e for e in work.errors)
    assert fingerprint() == before and not Department.objects.filter(name="县档案馆").exists()


# What each persona's lists contain ------------------------------------------------------------------------

PREFIXES = {
    **dict.fromkeys(COUNTY_WIDE, ("428521",)),
    "member": (),
    "dept_clerk": (),
    "town_hk": ("428521101",),
    "town_cg": ("428521001",),
    "village_cadre": ("428521101201",),
    "community_cadre": ("428521001001",),
    "grid_worker": ("428521001001",),
    "outsider": ("428522",),
}
OWN_DEPARTMENT = {
    "member": "县委编办",
    "dept_clerk": "县人社局",
    "office": "县民政局",
    "chair": "县委办",
    "inspector": "县纪委监委机关",
    "town_hk": "河口镇党委政府",
    "town_cg": "城关街道党工委办事处",
}
FOREIGN_MARKERS = {"outsider": ("清河县", "428521", "河口镇", "城关街道")}
QINGHE_FOREIGN = ("东岭", "428522")


def _api_all(client, url):
    response = client.get(url, {"page_size": 200})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def _under(code, prefixes):
    return any(code.startswith(p) for p in prefixes)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_lists_exactly_the_personas_own_scope_in_the_api_pages_and_exports(persona, world, client):
    client.force_login(world.people[persona])
    prefixes, own = PREFIXES[persona], OWN_DEPARTMENT.get(persona)
    regions = {r["code"] for r in _api_all(client, "/api/v1/regions")}
    assert regions == {r.code for r in Region.objects.filter(is_active=True) if _under(r.code, prefixes)}
    departments = {d["name"] for d in _api_all(client, "/api/v1/departments")}
    assert departments == {
        d.name
        for d in Department.objects.select_related("region")
        if _under(d.region.code, prefixes) or d.name == own
    }
    users = {u["username"] for u in _api_all(client, "/api/v1/users")}
    assert users == {
        u.username
        for u in User.objects.select_related("home_region", "department")
        if _under(u.home_region.code, prefixes) or (own and u.department and u.department.name == own)
    }
    markers = FOREIGN_MARKERS.get(persona, QINGHE_FOREIGN)
    for url in ("/orgs/regions/", "/orgs/departments/", "/orgs/users/", "/home/"):
        text = client.get(url).content.decode()
        assert not [m for m in markers if m in text], f"{persona} sees another county on {url}"
    workbook = load_workbook(io.BytesIO(client.get("/orgs/export/regions.xlsx").content), read_only=True)
    exported = {row[0] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert exported == {r.code for r in Region.objects.all() if _under(r.code, prefixes)}


# Query counts do not grow with the rows on the page -------------------------------------------------------


def _add_rows(world, n=10):
    for i in range(n):
        services.region_create(
            actor=None,
            code=f"4285211012{50 + i}",
            name=f"新增村{i}",
            level=5,
            kind="village",
            parent=world.township_hk,
        )
        department = services.department_create(
            actor=None, name=f"新增局{i}", region=world.county, kind="government"
        )
        person = services.user_create(
            actor=None,
            username=f"extra{i}",
            full_name=f"新增用户{i}",
            password="Jianfu@2026",
            home_region=world.village_taoyuan,
            department=department,
        )
        services.role_grant(actor=None, user=person, role="village", region=world.village_taoyuan)


@pytest.mark.parametrize(
    "url",
    [
        "/orgs/regions/",
        "/orgs/departments/",
        "/orgs/users/",
        "/api/v1/regions",
        "/api/v1/departments",
        "/api/v1/users",
    ],
)
def test_it_keeps_the_query_count_flat_when_rows_are_added(url, world, client, django_assert_max_num_queries):
    client.force_login(world.admin)
    client.get(url)  # warm-up: session and content-type caches
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    _add_rows(world)
    with django_assert_max_num_queries(len(few)):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)  # the new rows are on the page
    assert len(few) <= 12, [q["sql"] for q in few.captured_queries]
