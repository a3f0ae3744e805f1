"""The admission documents: the work notice (工作告知单) and a village's reply declining work (回执) as DOCX laid
out like Chinese official documents (GB/T 9704, simplified), and an application's archive (seed 003 art. 11)
as a workbook and as a timeline. Pure reads: nothing here writes to the database."""

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from jianfu.core.officialdoc import (
    IMPRINT,
    RED,
    TEXT_WIDTH,
    TITLE,
    add_display,
    add_para,
    add_rule,
    add_sections,
    add_signature,
    cn_date,
    new_document,
    to_bytes,
)
from jianfu.orgs.models import Kind as RegionKind
from jianfu.orgs.models import Level, Region

from .models import AdmittedItem, Application, Decline, Origin, WorkNotice

RIGHTS = "本事项经审核准入，纳入村（社区）工作事项清单管理；未经审核准入的工作事项，村（社区）有权拒绝执行。"
SEED_003 = "《关于建立社区工作事项准入、变更及退出制度的指导意见》"
VERDICT_LABELS = {"negative": "负面清单事项", "unlisted": "清单外事项，且未经审核准入"}


def _local_day(moment):
    return timezone.localtime(moment).date() if moment else None


# 工作告知单 -------------------------------------------------------------------------------------------------


def committee_name(county: Region) -> str:
    return f"{county.name}社区工作事项审核委员会"


def notice_docx(notice: WorkNotice) -> bytes:
    """The work notice as DOCX: red header, number, title, addressees, the sections, signature, imprint."""
    application, item = notice.application, notice.item
    title = f"关于准入“{item.title}”工作事项的告知单"
    doc = new_document(title)
    _notice_header(doc, notice)
    add_para(doc)
    add_display(doc, title, TITLE)
    add_para(doc)
    add_para(doc, addressees(notice), indent=False)
    add_para(doc, _notice_lead(application))
    sections = [
        _admitted_section(item),
        _scope_section(item),
        _plan_section(application),
        _guarantee_section(application),
        _procedure_section(application),
        _overlap_section(application),
    ]
    add_sections(doc, sections)
    add_para(doc, RIGHTS)
    add_signature(doc, committee_name(application.county), _local_day(notice.issued_at))
    _imprint(doc, notice)
    return to_bytes(doc)


def _notice_header(doc, notice: WorkNotice) -> None:
    """发文机关标志 in red, sized to stay on one line, then the number above the red separator."""
    issuer = committee_name(notice.application.county)
    size = Pt(min(36, TEXT_WIDTH // len(issuer)))
    add_display(doc, issuer, size, RED)
    add_para(doc)
    number = add_para(doc, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    add_rule(number, "bottom", "FF0000", 18)


def addressees(notice: WorkNotice) -> str:
    """主送: every township when the item covers the county, else the townships (and lone villages) in scope."""
    if notice.item.scope_all:
        return "各乡镇（街道），各村（社区）："
    regions = [r.region for r in notice.recipients.select_related("region")]
    towns = [r for r in regions if r.level == Level.TOWNSHIP]
    town_codes = {t.code for t in towns}
    lone = [r for r in regions if r.level == Level.VILLAGE and r.code[:9].ljust(12, "0") not in town_codes]
    names = "、".join(r.name for r in towns + lone)
    return f"{names}及所辖各村（社区）：" if towns else f"{names}："


def _notice_lead(application: Application) -> str:
    return (
        f"{application.applicant.name}申请将“{application.title}”工作事项交由村（社区）"
        f"{'承办' if application.work_type == 'undertake' else '协助'}。经审核，同意准入。现将有关事项告知如下："
    )


def _admitted_section(item: AdmittedItem):
    return "准入事项", [
        f"事项名称：{item.title}。",
        f"事项编码：{item.code}。",
        f"事项内容：{item.content}",
        f"交办部门：{item.department.name}。",
    ]


def _scope_section(item: AdmittedItem):
    end = f"至{cn_date(item.effective_to)}" if item.effective_to else "起，长期"
    return "实施范围和期限", [
        f"实施范围：{item.scope_label()}。",
        f"实施期限：{cn_date(item.effective_from)}{end}。",
        f"事项性质：{item.get_work_type_display()}。",
    ]


def _plan_section(application: Application):
    fields = ["plan_requirements", "plan_division", "plan_process", "plan_milestones"]
    return "实施方案", [_labelled(application, name) for name in fields]


def _labelled(application: Application, name: str) -> str:
    label = Application._meta.get_field(name).verbose_name
    return f"{label}：{getattr(application, name).strip() or '无'}"


def _guarantee_section(application: Application):
    amount = application.funds_amount
    funds = f"{amount:,.2f}元，来源：{application.funds_source}（费随事转）" if amount else "未安排"
    return "保障措施", [
        f"人员：{application.people.strip() or '无'}",
        f"经费：{funds}。",
        f"培训指导：{application.training.strip() or '无'}",
        f"场地物资：{application.materials.strip() or '无'}",
    ]


def _procedure_section(application: Application):
    lines = (
        [
            f"{application.applicant.name}于{cn_date(_local_day(application.submitted_at))}"
            f"提出准入申请（{application.number}）。"
        ]
        if application.submitted_at
        else []
    )
    if application.origin == Origin.RETROACTIVE:
        lines.append("本事项未事先申请即交由村（社区）办理，按第九条补办确认。")
    lines.append(f"审核程序：{application.get_procedure_display() or '未记录'}。")
    for meeting in application.meetings.all():
        lines.append(
            f"{cn_date(meeting.held_on)}召开成员单位会议审议，出具意见{meeting.opinions.count()}份。"
        )
    lines.append(f"审定机构：{application.decision_body or committee_name(application.county)}。")
    if application.decided_at:
        lines.append(f"核准日期：{cn_date(_local_day(application.decided_at))}。")
    if application.decision_reason.strip():
        lines.append(f"核准意见：{application.decision_reason.strip()}")
    return "审核程序和决定", lines


def _overlap_section(application: Application):
    rows = list(application.overlaps.all())
    if not rows:
        return None
    return "重叠工作的处理", [
        f"{n}. {row.existing}：{row.get_action_display()}{f'（{row.note}）' if row.note else ''}。"
        for n, row in enumerate(rows, start=1)
    ]


def _imprint(doc, notice: WorkNotice) -> None:
    """版记: the copy-to and filing line between two rules at the end of the document."""
    county = notice.application.county.name
    add_para(doc)
    text = (
        f"抄送：{notice.application.applicant.name}；"
        f"备案：{county}社区工作事项审核委员会办公室（{cn_date(notice.filed_on)}）"
    )
    paragraph = add_para(doc, text, size=IMPRINT, indent=False)
    add_rule(paragraph, "top")
    add_rule(paragraph, "bottom")


# 回执 -----------------------------------------------------------------------------------------------------


def decline_docx(decline: Decline) -> bytes:
    """The reply a village gives the department whose unlisted, unadmitted work it declines."""
    village = decline.region
    unit = "社区" if village.kind == RegionKind.COMMUNITY else "村"
    doc = new_document(f"不予承担回执 {decline.number}")
    add_display(doc, "关于不予承担未经准入工作事项的回执", TITLE)
    add_para(doc, f"编号：{decline.number}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    add_para(doc)
    add_para(doc, f"{decline.department_name}：", indent=False)
    for line in _decline_body(decline, unit):
        add_para(doc, line)
    committee = "居民委员会" if unit == "社区" else "村民委员会"
    add_signature(doc, f"{village.name}{committee}（盖章）", _local_day(decline.created_at))
    add_para(doc, f"经办人：{decline.declined_by.full_name}", size=IMPRINT, indent=False)
    return to_bytes(doc)


def _decline_body(decline: Decline, unit: str) -> list[str]:
    verdict = decline.verdict or {}
    county = _county_of(decline.region)
    lines = [
        f"本{unit}于{cn_date(decline.received_on)}收到贵单位交办的以下工作：“{decline.work_text.strip()}”。",
        f"经核验，该工作属于{VERDICT_LABELS.get(verdict.get('verdict'), '清单外事项')}。"
        f"{verdict.get('explanation', '')}",
    ]
    lines.append(
        "依据：清单之内必执行、清单之外要批准，未经审批准入的工作事项，村（社区）有权拒绝执行；"
        f"{SEED_003}第四条规定：“各部门、各单位要求在社区新增、变更及退出工作事项的，均需通过县市区审核委员会"
        f"会议审核批准；未经审核批准的，不得擅自新增、变更及退出。”本{unit}对上述工作不予承担。"
    )
    lines.append(
        f"如确需本{unit}承担该项工作，请按程序向{county}社区工作事项审核委员会办公室（设在{county}民政局）"
        f"提出准入申请；经审核准入并下发工作告知单后，本{unit}将按告知单要求执行。"
    )
    return lines


def _county_of(region: Region) -> str:
    county = Region.objects.filter(code=region.code[:6].ljust(12, "0")).first()
    return county.name if county else "县（市、区）"
