"""Certificates (证明事项): the types a village may issue and their templates, what it issued, what it refused
and the written commitments (告知承诺) residents signed instead.

Whether a type may be issued is never stored here: it follows the certificate lists (catalog
``certificate_allowed`` / ``certificate_forbidden``) in force for the village on the day, matched by the list
item's code. A ``CertificateType`` adds what the list does not hold: who may ask, conditions, materials and
the template a cadre fills in.
"""

from django.conf import settings
from django.db import models

from jianfu.catalog.models import ListItem
from jianfu.core.choices import badge_choices
from jianfu.core.text import DOCUMENT, LONG, NOTE, TEXT, BoundedTextField
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

from .idnumbers import mask_id, mask_name


class InstitutionKind(models.TextChoices):
    """Who demanded the certificate: monitoring counts the ones that keep asking for forbidden ones."""

    BANK = "bank", "银行等金融机构"
    SCHOOL = "school", "学校、幼儿园"
    HOSPITAL = "hospital", "医疗机构"
    GOVERNMENT = "government", "党政机关、职能部门"
    JUDICIAL = "judicial", "公安、司法机关"
    PUBLIC = "public", "事业单位、公共服务机构"
    ENTERPRISE = "enterprise", "企业"
    SOCIAL = "social", "社会组织"
    OTHER = "other", "其他"


@badge_choices({"issued": "success", "revoked": "secondary"})
class DocumentStatus(models.TextChoices):
    ISSUED = "issued", "有效"
    REVOKED = "revoked", "已作废"


# An issued certificate or commitment can only be voided, once; it keeps its number.
DOCUMENT_FLOW = Workflow(
    DocumentStatus, Transition("revoke", "作废", {DocumentStatus.ISSUED}, DocumentStatus.REVOKED)
)


@badge_choices({"forbidden": "danger", "unlisted": "warning", "cannot_verify": "secondary"})
class RefusalReason(models.TextChoices):
    FORBIDDEN = "forbidden", "列入不应出具证明事项清单"
    UNLISTED = "unlisted", "不在可出具证明事项清单内"
    CANNOT_VERIFY = "cannot_verify", "村（社区）无法核实所证明的事实"


class Series(models.TextChoices):
    """Each kind of record is numbered on its own: village code + year + serial, no gaps."""

    ISSUANCE = "issuance", "证明"
    REFUSAL = "refusal", "不予出具告知"
    COMMITMENT = "commitment", "告知承诺"


SERIES_MARK = {Series.ISSUANCE: "", Series.REFUSAL: "BY", Series.COMMITMENT: "CN"}


class CertificateType(models.Model):
    """The template side of one certificate list item (same code): who may ask, conditions, materials, the
    fields a cadre fills and the body text. For a forbidden type the template, if any, is the written
    commitment the resident may sign instead. Types are public documents, as the lists are."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="certificate_types", verbose_name="制定区划"
    )
    code = models.CharField("编码", max_length=40, help_text="与证明事项清单中的事项编码一致")
    name = models.CharField("证明名称", max_length=100)
    title = models.CharField("文书标题", max_length=100, help_text="打印在证明上方，如：居住证明")
    requesters = BoundedTextField("申请人范围", blank=True, max_length=NOTE)
    conditions = BoundedTextField("出具条件", blank=True, max_length=TEXT)
    materials = BoundedTextField("所需材料", blank=True, max_length=TEXT)
    fields = models.JSONField("模板字段", default=list, blank=True)
    body = BoundedTextField("正文模板", blank=True, help_text="用 {字段名} 引用字段", max_length=LONG)
    commitment_fields = models.JSONField("承诺书字段", default=list, blank=True)
    commitment_body = BoundedTextField("承诺书正文", blank=True, max_length=LONG)
    is_demo = models.BooleanField("示例数据", default=False)
    source = models.CharField("来源", max_length=300, blank=True)
    revision = models.PositiveIntegerField("修订号", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "证明事项模板"
        ordering = ["region__code", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="certtype_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def has_certificate_template(self) -> bool:
        return bool(self.body.strip())

    @property
    def has_commitment_template(self) -> bool:
        return bool(self.commitment_body.strip())


class RecordQuerySet(access.ScopedQuerySet):
    """Records of the villages under the regions where the user may view certificates."""

    scope_field = "village__code"
    scope_capabilities = (Capability.CERTIFICATES_VIEW,)


class CertificateRecord(models.Model):
    """What every record shares: where, which type, who demanded it, its number and when."""

    village = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="村（社区）")
    certificate_type = models.ForeignKey(
        CertificateType, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="证明事项模板"
    )
    list_item = models.ForeignKey(
        ListItem, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="清单事项"
    )
    type_code = models.CharField("事项编码", max_length=40, blank=True)
    type_name = models.CharField("证明名称", max_length=200)
    request_text = models.CharField("群众的请求", max_length=300, blank=True)
    institution_kind = models.CharField("要求单位类型", max_length=16, choices=InstitutionKind.choices)
    institution_name = models.CharField("要求出具的单位", max_length=100)
    number = models.CharField("编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    on = models.DateField("日期", db_index=True)
    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-on", "-serial"]


class ResidentDocument(CertificateRecord):
    """A numbered document about a named resident, with a public verification code and the DOCX as issued."""

    resident_name = models.CharField("居民姓名", max_length=50)
    resident_id_number = models.CharField("公民身份号码", max_length=18)
    purpose = models.CharField("用途", max_length=100, blank=True)
    title = models.CharField("文书标题", max_length=100)
    values = models.JSONField("模板填写内容", default=dict)
    body_text = BoundedTextField("正文", max_length=DOCUMENT)
    verification_code = models.CharField("核验码", max_length=16, unique=True)
    document = models.BinaryField("DOCX 文书")
    status = models.CharField(
        "状态", max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ISSUED
    )
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    revoke_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta(CertificateRecord.Meta):
        abstract = True

    def __str__(self):
        # Also the audit log's object_repr: never the ID number, and the name masked.
        return f"{self.number} {self.type_name}（{mask_name(self.resident_name)}）"

    @property
    def masked_id(self) -> str:
        return mask_id(self.resident_id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.resident_name)


class Issuance(ResidentDocument):
    """A certificate a village issued from a template, on facts it verified (出具)."""

    class Meta(ResidentDocument.Meta):
        verbose_name = verbose_name_plural = "证明出具记录"
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "serial"], name="issuance_unique_serial"),
        ]


class Commitment(ResidentDocument):
    """A written personal commitment (告知承诺) the resident signed instead of a certificate."""

    matter = models.CharField("承诺事项", max_length=200)

    class Meta(ResidentDocument.Meta):
        verbose_name = verbose_name_plural = "告知承诺记录"
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "serial"], name="commitment_unique_serial"),
        ]


class Refusal(CertificateRecord):
    """A request the village did not issue (不予出具), with the route the resident was told to take instead."""

    reason = models.CharField("不予出具的原因", max_length=16, choices=RefusalReason.choices)
    alternative = BoundedTextField("替代途径", max_length=TEXT)
    responsible_department = models.CharField("责任部门", max_length=200)
    resident_name = models.CharField("居民姓名", max_length=50, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta(CertificateRecord.Meta):
        verbose_name = verbose_name_plural = "不予出具记录"
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "serial"], name="refusal_unique_serial"),
        ]

    def __str__(self):
        return f"{self.number} {self.type_name}（{self.institution_name}）"

    @property
    def masked_name(self) -> str:
        return mask_name(self.resident_name)
