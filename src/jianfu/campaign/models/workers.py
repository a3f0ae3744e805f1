"""Community workers (seed 003, 关于加强市区城市社区工作者队伍建设的实施意见): how each came, post, contract per term,
training register, annual appraisal and the archive; the service station's staffing."""

from django.db import models

from jianfu.core.choices import badge_choices
from jianfu.core.workflow import Transition, Workflow
from jianfu.orgs import access
from jianfu.orgs.models import Region


class Origin(models.TextChoices):
    """第二条、第七条: appointed by the party organisation above, elected, or publicly recruited."""

    APPOINTED = "appointed", "上级党组织任命"
    ELECTED = "elected", "依法选举"
    RECRUITED = "recruited", "公开招聘"


class Post(models.TextChoices):
    SECRETARY = "secretary", "社区党组织书记"
    DIRECTOR = "director", "社区居委会主任"
    MEMBER = "member", "专职委员"
    SERVICE = "service", "社区服务站专职工作人员"
    OTHER = "other", "其他岗位"


@badge_choices({"active": "success", "ended": "secondary"})
class WorkerStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    ENDED = "ended", "已解除劳动合同"


WORKER_FLOW = Workflow(
    WorkerStatus,
    Transition("contract", "签订劳动合同", {WorkerStatus.ACTIVE}),
    Transition("appraise", "登记年度考核", {WorkerStatus.ACTIVE}),
    Transition("end", "解除劳动合同", {WorkerStatus.ACTIVE}, WorkerStatus.ENDED),
)


class TrainingKind(models.TextChoices):
    """第十条."""

    INITIAL = "initial", "初任培训"
    PROFESSIONAL = "professional", "专业培训"
    ADVANCED = "advanced", "进修培训"


class AppraisalGrade(models.TextChoices):
    """第十六条."""

    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Any region role over the community (its staffing is the community's own fact)."""
        return self.filter(access.visible_subtree(user, "community__code"))


class CommunityProfile(models.Model):
    """The resident population that sets the service station's staffing (第七条)."""

    community = models.OneToOneField(Region, models.PROTECT, related_name="+", verbose_name="社区")
    residents = models.PositiveIntegerField("辖区常住人口")
    version = models.PositiveIntegerField("版本", default=1)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "社区常住人口"

    def __str__(self):
        return f"{self.community}：{self.residents}人"


class CommunityWorker(models.Model):
    community = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name="社区")
    name = models.CharField("姓名", max_length=50)
    origin = models.CharField("配备方式", max_length=16, choices=Origin.choices)
    post = models.CharField("岗位", max_length=16, choices=Post.choices)
    joined_on = models.DateField("到岗日期")
    status = models.CharField(
        "状态", max_length=16, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVE
    )
    ended_on = models.DateField("合同解除日期", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "社区工作者"
        ordering = ["community__code", "post", "name"]

    def __str__(self):
        return self.name


class Contract(models.Model):
    """第二十九条: one contract per term (一届一签), signed by the subdistrict."""

    worker = models.ForeignKey(CommunityWorker, models.CASCADE, related_name="contracts")
    term = models.CharField("届次", max_length=50)
    starts_on = models.DateField("合同起始")
    ends_on = models.DateField("合同终止")
    ended_on = models.DateField("提前解除日期", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "劳动合同"
        ordering = ["starts_on"]
        constraints = [models.UniqueConstraint(fields=["worker", "term"], name="campaign_contract_per_term")]

    def __str__(self):
        return self.term


class Training(models.Model):
    """第十一条 登记管理 (append-only)."""

    worker = models.ForeignKey(CommunityWorker, models.CASCADE, related_name="trainings")
    kind = models.CharField("培训类型", max_length=16, choices=TrainingKind.choices)
    title = models.CharField("培训内容", max_length=200)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    result = models.CharField("学习成绩", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训记录"
        ordering = ["-held_on"]

    def __str__(self):
        return self.title


class Appraisal(models.Model):
    """One year's appraisal (append-only; one per year)."""

    worker = models.ForeignKey(CommunityWorker, models.CASCADE, related_name="appraisals")
    year = models.PositiveIntegerField("年度")
    grade = models.CharField("考核等次", max_length=16, choices=AppraisalGrade.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度考核"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "year"], name="campaign_appraisal_once_a_year")
        ]

    def __str__(self):
        return f"{self.year}：{self.get_grade_display()}"
