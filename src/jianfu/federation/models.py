"""The nation as a federation of provinces: what the national instance receives and what a province sent.

A province runs its own deployment and keeps its events; each month it sends the national instance one signed
rollup (its province, prefectures and counties × burden-event type: events, hours, violations, undecided).
National side: ``Peer`` (a province's deployment and its Ed25519 public key), ``Submission`` (one accepted
version of a province's month, kept whole for the record) and ``Cell`` (the current figures the national
dashboards read). Province side: ``Outgoing`` (each version it built and sent).
"""

from django.db import models
from django.db.models import Q

from jianfu.core.text import NOTE, BoundedTextField
from jianfu.orgs import access
from jianfu.orgs.models import Level, Region
from jianfu.orgs.roles import Capability


def readable_provinces(user) -> list[str]:
    """Codes of the provinces on which the user holds federation.view (a national user holds it on each)."""
    return [
        a.region.code
        for a in access.region_assignments(user, Capability.FEDERATION_VIEW)
        if a.region.level == Level.PROVINCE
    ]


class PeerQuerySet(access.ScopedQuerySet):
    scope_capabilities = (Capability.FEDERATION_VIEW,)

    def visible_to(self, user):
        """The provinces the user reads: federation.view held on the province itself, as for its rollups."""
        return self.filter(region__code__in=readable_provinces(user))


class Peer(models.Model):
    """A province's deployment as registered at the national instance (省级部署): who may push that province's
    rollups, identified by its code and proven by a signature under the registered public key."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="federation_peer")
    public_key = models.CharField("公钥（Ed25519，Base64）", max_length=64)
    registered_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeerQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "省级部署"

    def __str__(self):
        return self.region.name


class SubmissionQuerySet(access.ScopedQuerySet):
    scope_capabilities = (Capability.FEDERATION_VIEW,)

    def visible_to(self, user):
        """A province's versions are read by who holds federation.view on that province (not below it: a
        prefecture's office at the national instance reads no province's pushes)."""
        return self.filter(peer__region__code__in=readable_provinces(user))


class Submission(models.Model):
    """One accepted version of a province's month. A correction (revision 2, 3…) carries its reason and makes
    the version before it no longer current; nothing is deleted."""

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="submissions")
    month = models.DateField()  # the first day of the month
    revision = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)  # SHA-256 of the canonical content (province, month, cells)
    payload = models.JSONField()
    signature = models.CharField(max_length=128)
    reason = BoundedTextField("更正原因", max_length=NOTE, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(default=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "各省月度汇总报送"
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "month", "revision"], name="federation_submission_revision"
            ),
            models.UniqueConstraint(
                fields=["peer", "month"], condition=Q(current=True), name="federation_submission_current"
            ),
        ]

    def __str__(self):
        return f"{self.peer} {self.month:%Y-%m} 第{self.revision}版"


class CellQuerySet(access.ScopedQuerySet):
    scope_capabilities = (Capability.FEDERATION_VIEW,)

    def visible_to(self, user):
        """By province, as ``Submission``: one ``province_code IN (…)`` rather than 31 code ranges OR-ed together,
        which kept SQLite off the (level, month) index on the national page."""
        return self.filter(province_code__in=readable_provinces(user))


class Cell(models.Model):
    """A current figure of the national rollup: region (province, prefecture, county) × month × type."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="cells")
    province_code = models.CharField(max_length=12)
    region_code = models.CharField(max_length=12)
    level = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    month = models.DateField()
    kind = models.CharField(max_length=16)
    events = models.IntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=1, default=0)
    violations = models.IntegerField(default=0)
    undecided = models.IntegerField(default=0)

    objects = CellQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "全国汇总格"
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "month", "kind"], name="federation_cell_region_month_kind"
            ),
        ]
        indexes = [
            models.Index(fields=["level", "month", "region_code"], name="federation_level_month"),
            models.Index(fields=["province_code", "level", "month"], name="federation_province_level"),
        ]

    def __str__(self):
        return f"{self.name} {self.month:%Y-%m} {self.kind}"


class Outgoing(models.Model):
    """Province side: one version of a month's rollup as built and signed here, and what the national instance
    answered (``answer``) when it was pushed."""

    month = models.DateField()
    revision = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    payload = models.JSONField()
    reason = BoundedTextField("更正原因", max_length=NOTE, blank=True)
    built_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answer = BoundedTextField("国家平台的答复", max_length=NOTE, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "本省月度汇总报送记录"
        constraints = [
            models.UniqueConstraint(fields=["month", "revision"], name="federation_outgoing_revision"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} 第{self.revision}版"
