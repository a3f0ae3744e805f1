"""Permission-matrix cases for scheduled jobs and background work (merged by tests/test_permission_matrix.py).

Who may do what, written out by hand:
- the jobs page, its API and "run now": system administrators only (both counties' administrators: the jobs
  are the deployment's, not a county's); everyone else signed in 403, anonymous to the login page (API 401);
- background work and the files it produced: only the person who started it (another person gets 404);
- starting background work: a bulletin's DOCX for whoever sees the bulletin, a rollup rebuild for the county
  office, an organisation export for anyone signed in (it exports only their own scope).
"""

from pathlib import Path

from jianfu.jobs.models import Work, WorkStatus
from tests.matrix.base import ANON, LOGIN, MANAGERS, Case, Redirect, pk, signed_in

TO_JOBS, TO_WORK = Redirect("/jobs/"), Redirect("/jobs/work/")
# Starting a document or an export reads data; the inspector may (it writes only the request for the work).
INSPECTOR_MAY = {"orgs:export_work", "monitoring:bulletin_docx_work"}


def _work(w):
    if "_work" in w.__dict__:
        return w.__dict__["_work"]
    from django.conf import settings

    folder = Path(settings.PRIVATE_ROOT) / "work" / "matrix"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "matrix.xlsx").write_bytes(b"matrix")
    work = Work.objects.create(
        owner=w.village_cadre,
        kind="orgs.export",
        label="矩阵导出",
        status=WorkStatus.DONE,
        result_name="matrix.xlsx",
        result_path=str(folder / "matrix.xlsx"),
    )
    w.__dict__["_work"] = work
    return work


OBJECTS = {"work_taoyuan": _work}
SEES = {"work_taoyuan": {"village_cadre"}}


def admins(ok, anon=LOGIN, writes=False):
    def expect(p, t):
        return anon if p == ANON else (ok if p in MANAGERS else 403)

    expect.writes = writes
    return expect


def owner(ok, anon=LOGIN):
    return lambda p, t: anon if p == ANON else (ok if p == "village_cadre" else 404)


JOB = lambda o: {"name": "audit.purge"}  # noqa: E731

ROUTES = {
    "jobs:index": Case(admins(200)),
    "jobs:run_now": (
        Case(signed_in(405), kwargs=JOB, targets=("job",)),
        Case(admins(TO_JOBS, writes=True), "post", ("job",), JOB),
    ),
    "jobs:work_list": Case(signed_in(200)),
    "jobs:work_detail": Case(owner(200), targets=("work_taoyuan",), kwargs=pk),
    "jobs:work_progress": Case(owner(200), targets=("work_taoyuan",), kwargs=pk),
    "jobs:work_file": Case(owner(200), targets=("work_taoyuan",), kwargs=pk),
    "api:jobs_page": Case(admins(200, anon=401)),
    "api:jobs_run_now": Case(admins(202, anon=401, writes=True), "post", ("job",), JOB),
    "api:jobs_my_work": Case(signed_in(200, anon=401)),
    "api:jobs_work": Case(owner(200, anon=401), targets=("work_taoyuan",), kwargs=pk),
    "api:jobs_work_file": Case(owner(200, anon=401), targets=("work_taoyuan",), kwargs=pk),
}
OBJECTS["job"] = lambda w: "audit.purge"
SEES["job"] = set()
