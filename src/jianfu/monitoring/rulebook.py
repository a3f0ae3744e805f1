"""The rules a finding can break, each named by the document that sets it and the clause, as a department reads
them in a bulletin. The documents are the public policy texts the platform implements (national, provincial,
prefecture and county); the short rule texts are what the checks return (``Check.rule``)."""

from dataclasses import dataclass

# The documents, by their real titles and issuers.
CERT_GUIDANCE = "《关于改进和规范基层群众性自治组织出具证明工作的指导意见》（民发〔2020〕20号）"
SHIJI_GUIZE = "《整治形式主义为基层减负若干规定》（中共中央办公厅、国务院办公厅，2024年）"
HUANXIAN = "《环县开展社区减负专项行动的实施方案》（环县民政局、中共环县委组织部，2023年11月）"
TIANJIAAN = "《关于规范村级组织工作事务、机制牌子和证明事项的工作措施》（田家庵区）"
QIANXINAN = "《关于规范村（社区）职能职责全面推进村级组织减负赋能的实施意见》（中共黔西南州委）"
HUBEI_COUNTY = "《关于开展村（社区）减负工作的实施方案》"
ZHUZHOU_ADMISSION = "《关于建立社区工作事项准入、变更及退出制度的指导意见》（株洲市城乡社区治理配套文件）"


@dataclass(frozen=True)
class Basis:
    document: str
    clause: str

    def __str__(self) -> str:
        return f"{self.document}{self.clause}"


# The check's rule text -> where it is written. Rules not listed here are shown without a basis.
BASES: dict[str, Basis] = {
    # lists and admission
    "负面清单所列事项不得交由村（社区）承担": Basis(HUANXIAN, "二（一）及附件3"),
    "清单之外的工作须经审核准入，未经准入不得交由村（社区）承担": Basis(ZHUZHOU_ADMISSION, "准入程序"),
    # certificates
    "不应由村（社区）出具的证明事项不得要求出具": Basis(CERT_GUIDANCE, ""),
    "证明事项清单外的证明不得要求村（社区）出具": Basis(QIANXINAN, "三、五项行动之三“规范证明事项”"),
    # apps, groups
    "不得通过政务APP要求村（社区）签到打卡、积分排名或摊派指标": Basis(
        QIANXINAN, "三、五项行动之四“整合报表材料”"
    ),
    "未经登记保留的工作群、政务APP不得面向村（社区）使用": Basis(HUANXIAN, "二（四）"),
    "已关停或整合的工作群、政务APP不得继续要求村（社区）使用": Basis(HUBEI_COUNTY, "二（五）"),
    # placards and mechanisms
    "不得要求村（社区）对口挂牌": Basis(HUANXIAN, "二（三）"),
    "不得要求村（社区）新设工作机制或专人专岗": Basis(HUANXIAN, "二（三）"),
    "不得以是否挂牌作为考核村（社区）工作的依据": Basis(HUANXIAN, "二（二）"),
    # meetings
    "未经统筹不得直接召集村（社区）干部参加会议": Basis(HUANXIAN, "二（四）"),
    "召集村（社区）干部参加会议超过规定次数": Basis(HUANXIAN, "二（四）"),
    # inspections
    "未列入年度督查检查计划": Basis(QIANXINAN, "三、五项行动之五“压减调研考核”"),
    "要求村（社区）准备汇报材料": Basis(QIANXINAN, "三、五项行动之五“压减调研考核”"),
    "设置一票否决事项": Basis(HUANXIAN, "二（二）"),
    "超过本地规定的每周到村（社区）督查检查考核次数": Basis(QIANXINAN, "三、五项行动之五“压减调研考核”"),
    # forms
    "未列入年度填报表格清单": Basis(HUANXIAN, "二（四）"),
}


def basis_for(rule: str) -> str:
    """The document and clause behind ``rule`` (a check's rule text, possibly followed by a citation)."""
    for text, basis in BASES.items():
        if rule.startswith(text):
            return str(basis)
    return ""
