"""Text to features for the list classifier, the same for list items and for the text being judged.

Pure Python (no Django). ``Analyzer.analyze`` normalises a text (NFKC, lower case), turns every term of a
synonym group (data/synonyms.yaml) into one concept token, cuts dates and numbers and the words that only
wrap a task ("请各村……", "XX局要求各社区……", "务必于……前") and notes whether the text asks to assist
(协助/配合) or is a rule that forbids (不得/严禁/禁止……): the decision uses both cues. Its features are the
remaining rjieba words (with their sub-words) and character bigrams; ``item_units`` cuts an item into the
units it is matched by.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rjieba
import yaml

DEFAULT_SYNONYMS = Path(__file__).resolve().parents[3] / "data" / "synonyms.yaml"

_MARKER_BASE = 0xE000  # concept tokens are private-use characters
_MARKER_LO, _MARKER_HI = "\ue000", "\uf8ff"
_MARKERS = re.compile("([\ue000-\uf8ff])")
_SEPARATOR_CHARS = frozenset(" \t\r\n\u3000,.;:!?，。；：！？、“”‘’\"'()（）[]【】《》<>〈〉{}—–-_·…/\\|~～")
_NUMBERS = re.compile(r"[0-9]+[0-9.]*[年月日号周天个岁%‰]?|第[0-9一二三四五六七八九十]+[次批项条]?")
_WRAPPERS = re.compile(
    r"请?各(?:个)?(?:行政村|村民小组|村委会|居委会|村居|村\(社区\)|村\(居\)|社区\(村\)|社区|村|乡镇\(街道\)|乡镇|街道)"
    r"|关于|的通知|限期|之前|以前|月底前?|年底前?|本周[一二三四五六日]?前?|务必于?|即日起|截至|截止"
)
ENUM_PARALLEL = 2.0  # an enumeration without 等 is split only when its terms are this alike in length
_NOTES = re.compile(r"[(（][^()（）]*[)）]")
_CLAUSE_SEPARATORS = re.compile(r"[，,；;。：:]")
_ASSIST_CUE = re.compile("协助|配合|协同|协办|帮助")
# In a statute the kind of duty follows the article's verb: 协助/配合 makes it an assist duty. Helping the
# residents or the owners ("协助业主召开业主大会", "对设立业主大会……给予指导和协助") is the committee's own work for
# them, not aid to government, so it stays a duty.
ASSIST_VERB = re.compile(
    "(?:协助|配合)(?!业主|村民|居民|群众)"
    # 协同 a government body ("协同乡镇人民政府做好森林防火") is aid to it too; 协同 residents or owners is not.
    "|协同[^，,。；;]{0,8}?(?:人民政府|政府|部门|机关|办事处|派出所|公安)"
    # 协同 with no one named ("协同做好本区域的防震减灾工作"): the work it names is the government's, as with 协助.
    "|协同(?:做好|开展|搞好|落实|实施|办理)"
    # Work done at a government body's demand or under its arrangement ("根据所在地人民政府的要求……开展",
    # "按照镇人民政府的（统一）部署……", "在当地人民政府的统一领导下……") is aid to it too: the body asks, the committee
    # helps. Its 指导 is not: a government guides the committee's own self-government (村民委员会组织法第五条).
    "|(?:根据|按照|依照)[^，,。；;]{0,12}?(?:人民政府|政府|部门|机关|办事处)的?(?:统一)?(?:要求|部署|安排|决定|命令)"
    "|在[^，,。；;]{0,12}?(?:人民政府|政府|部门|机关|办事处)的?(?:统一)?(?:领导|组织|部署|安排)下"
    # Tasks government hands down under the law ("完成人民政府根据法律、法规和国家政策交办的其他任务").
    "|(?:人民政府|政府|部门|机关|办事处)[^，,。；;]{0,16}?交办的"
)
# Someone else helping the committee ("可以聘请退役军人协助开展国防教育"): the committee's own work, not aid.
_OTHERS_HELP = re.compile(r"(?:聘请|邀请|聘用|招募)[^，,。；;]{0,10}?(?:协助|配合)")
_HELPS_OWNERS = re.compile(r"对[^，,。；;]{0,20}?业主[^，,。；;]{0,12}?给予[^，,。；;]{0,6}?协助")
# A rule that forbids: "不得要求村(社区)……", "严禁……", "不应由社区承担……", "一律不再……", "取消……".
# The prohibition must bear on asking or handing work down, so "宣传公共场所禁止吸烟" is no rule cue, nor is
# "杜绝酗酒……纳入村规民约" (村规民约 and 村民 are not the village being asked).
# A report or bulletin that names the work as a violation ("违规要求村干部……", "变相摊派") is a rule cue too.
RULE_CUE = re.compile(
    r"(?:不得|严禁|禁止|不准|不许|不允许|一律不|不应|不宜|不再|不予|杜绝|坚决纠正)[^，,。；;]{0,12}?"
    r"(?:要求|让|向|将|把|以|由|给|交由|摊派|下达|安排|强制|层层|随意|擅自|变相|村(?!规|民(?!委))|社区|居委|基层|出具"
    r"|开具|承担|作为)"
    r"|违规(?:要求|摊派|下派|安排|向)|变相摊派|层层加码|形式主义"
    # A bulletin or report naming the work as a burden: "加重基层负担", "过多过频", "重复填报", "变相考核".
    r"|加重[^，,。；;]{0,6}?负担|增加[^，,。；;]{0,4}?基层[^，,。；;]{0,2}?负担|过多过频|过多过滥|重复填报"
    r"|多头(?:填报|报送|要求)|变相(?:开展|要求|督查|检查|考核)"
    # Clearing out what departments set up without a basis ("不再保留各单位没有依据自行设置的社区创建项目").
    r"|(?:不再|取消|清理|撤销|撤除)[^，,。；;]{0,16}?(?:没有依据|无依据|于法无据|自行设置|自行设立|擅自设立)"
)
# The marks of the burdens national rules forbid putting on committees, as reports, bulletins and notices word
# them (《整治形式主义为基层减负若干规定》, 中办国办 2022 意见, 民发〔2015〕136号): ranking and penalising
# villages, quotas and completion rates, app downloads, check-ins, screenshots, votes and likes, plaques.
# Each group counts once; inspections and paperwork count half, since lawful work mentions them too.
BURDEN_MARKS = (
    (
        2,
        re.compile(
            r"排名|排位|倒数|后[0-9一二两三四五六七八九十]+名|靠后|约谈|通报批评|扣分|扣[0-9]+|扣减|扣发|扣工资|罚款|"
            r"记[0-9]+分|不记分|一票否决|责任状|军令状|年终考核|考核.{0,6}依据|奖励[0-9]+元|每村奖励|"
            r"不安排[^，,。；;]{0,8}(?:资金|补助|经费)|取消[^，,。；;]{0,8}(?:评先|评优|资格)|"
            # Penalties notices name for villages that miss a target: a written self-criticism, a talk.
            r"书面检讨|作检讨|写检讨|检讨书|表态发言|"
            # Money docked from a village or its cadres for a missed target ("发现一处着火点扣村里1000元").
            r"扣[^，,。；;]{0,6}?[0-9一二两三四五六七八九十百千]+元|"
            # A rate or count of the village's work entered into an assessment ("参与率计入考核", "知晓率列入年终考评").
            r"(?:率|量|数)[^，,。；;]{0,4}?(?:纳入|计入|列入|作为)[^，,。；;]{0,8}?(?:考核|考评|排名|评比|评先)"
        ),
    ),
    (
        2,
        re.compile(
            r"完成率|参保率|参合率|缴纳率|缴费率|安装率|注册率|使用率|普及率|覆盖率|下载量|注册量|活跃度|"
            r"任务数|任务指标|目标任务|计划任务|下达.{0,10}?(?:任务|指标)|完成[^，,。；;]{0,6}任务|摊派|"
            r"(?:向|给|为)各?[0-9一二两三四五六七八九十百几]*个?(?:村|社区)[^，,。；;]{0,4}?(?:布置|分配|分派|下派)[^，,。；;]{0,16}?(?:任务|指标)|"
            r"不落一户|不漏一人|不落户|率达|达到[0-9]+%|[0-9]+%以上|百分之百|"
            r"[0-9一二两三四五六七八九十百千几]+(?:余|多)?(?:张|个|项)(?:表|报表|细化指标|指标)|"
            # Money demanded of villages, and tax targets scored in their assessment.
            r"任务款|任务表|征收任务|收缴任务|上解任务|税收[^，,。；;]{0,8}?(?:增长|任务|指标)|"
            # Paperwork by the dozen and filing demanded at a fixed beat (若干规定: 报表、台账).
            r"[0-9一二两三四五六七八九十百几]+(?:余|多)?(?:类|本|套)台账|各类台账|台账[^，,。；;]{0,4}?(?:泛滥|过多|繁多)|"
            r"(?:要求|让)[^，,。；;]{0,8}?(?:村|社区|基层|村级)[^，,。；;]{0,6}?每[日天周月旬][^，,。；;]{0,4}?(?:填报|上报|报送|更新)"
            # A quota per village ("每村不少于20人") and ledgers kept by the heap or refreshed daily (若干规定: 台账).
            r"|(?:每|各)个?(?:村|社区|村居|行政村)[^，,。；;]{0,8}?(?:不少于|不低于|至少|不得少于)[0-9一二两三四五六七八九十百千]+"
            r"|台账[^，,。；;]{0,8}?每[日天周]|(?:台账[^。；;]*?){3}"
        ),
    ),
    (
        2,
        re.compile(
            r"打卡|签到打卡|每天签到|截图|拍照上传|上传.{0,6}(?:照片|视频)|留痕|工作群|接龙|钉钉|"
            # Photos sent up as the proof of work (若干规定: 不得简单以照片、视频作为评价落实工作的依据).
            r"拍照(?:报送|上报|发群|留存|留档|存档)|照片(?:报送|上报)|"
            r"下载.{0,8}(?:app|小程序)|(?:app|小程序)[^，,。；;]{0,6}(?:下载|注册|安装|打卡|签到)|安装.{0,4}app|"
            r"关注公众号|公众号.{0,6}(?:粉丝|阅读|关注)|点赞|转发量|转评赞|转发.{0,4}(?:推文|文章|链接)|"
            r"网络投票|线上投票|刷票|拉票|投票数|票数|动员[^，,。；;]{0,12}投票|积分排名|学习积分|学习时长|在线时长|"
            # Counts of a public account's audience used as targets (国办函〔2026〕12号: 点赞量、转发量 as 考评依据).
            r"增粉|涨粉|粉丝量|粉丝数|关注量|阅读量|在看量|浏览量|传播指数|转发量|"
            # Being kept online and entering one thing in many systems (防治"指尖上的形式主义"若干意见: 强制在线、
            # 多头填报): phones on all day, several work phones, the same data in several platforms, faked activity.
            # Synonyms of the same marks as notices and reports word them: screenshots, showing off work in groups,
            # collecting likes, league tables, sign-in attendance and office hours kept for departments' work.
            r"截屏|晒(?:图|照|绩|工作|成绩)|秀场|集赞|排行榜|红黑榜|末位|晾晒|实名认证|坐班|全天上班|"
            # Attendance kept on the committee's own cadres, not a worker's attendance the committee confirms
            # (公益性岗位 attendance is part of the 人社 assist work).
            r"(?:村|社区|居委会|村委会|干部)[^，,。；;]{0,8}考勤|考勤打卡|打卡考勤|"
            r"24小时[^，,。；;]{0,4}?(?:开机|在线)|[0-9两三四五六七八九十几多]+部(?:工作)?手机|刷(?:里程|数据|积分|票|步数)|溜圈"
            r"|[0-9两三四五六七八九十几多]+个(?:地方|平台|系统|app)[^，,。；;]{0,4}?(?:录入|填报|上报)|重复(?:录入|登记|上报)"
        ),
    ),
    (
        2,
        re.compile(
            r"挂牌(?!保护|督办)|牌子|牌匾|标牌|荣誉牌|制度牌|牌[^。；;]{0,30}?[0-9一二两三四五六七八九十百]+多?块|上墙"
        ),
    ),
    (
        2,
        re.compile(
            r"文山会海|会海|陪会|[0-9一二两三四五六七八九十几]+(?:个|场)会(?!议室)|一天[^，,。；;]{0,8}会"
            r"|视频会[^，,。；;]{0,12}?(?:[0-9一二两三四五六七八九十几]+个?小时|摄像头)|摄像头[^，,。；;]{0,8}?对准"
        ),
    ),
    (
        2,
        re.compile(
            r"(?:检查|督导|督查|考核|暗访|抽查)[^。；;]{0,12}?[0-9一二两三四五六七八九十百几]+(?:余|多)?次"
            # Assessing villages themselves, pledges and evidence photos (若干规定: 督查检查考核, 责任状, 留痕).
            r"|(?:对|给)各?(?:村|社区|村级组织)[^，,。；;]{0,8}?(?:考核|排名|打分|评分|评定|评比)|考核各?(?:村|社区)|村级考核|乡对村"
            r"|纳入[^，,。；;]{0,6}?(?:村|社区)[^，,。；;]{0,6}?考核"
            r"|(?:层层|要求[^，,。；;]{0,8}?|与各?(?:村|社区)(?!民|居民)[^，,。；;]{0,6}?)签订[^，,。；;]{0,8}?(?:责任书|承诺书|保证书)"
            r"|佐证材料|照片佐证|群里(?:接龙|报送|上报|通报|@)|@所有人|收到请回复|请回复"
            # A group built to drive the work, or replies, sign-ins and reports demanded in it, is a burden; a
            # group used to tell residents ("通过微信群宣传", "利用喇叭广播、微信群做好预警") is not.
            r"|(?:建|拉)[^，,。；;]{0,4}?(?:微信|工作|qq)?群|[信作]群[^，,。；;]{0,10}?(?:接龙|报送|上报|通报|回复|打卡|签到|截图|晒|排名)"
            r"|[0-9一二两三四五六七八九十几]+(?:余|多)?项(?:创建|评比|考核|达标)"
            # Inspections counted by the visit, and reporters' words for a load cadres cannot carry.
            r"|[0-9一二两三四五六七八九十几]+(?:余|多)?次[“\"]?[大小]?(?:检|督查|考核|暗访)"
            r"|疲于(?:奔命|应付|应对)|不堪重负|苦不堪言"
            # Cadres taken from villages for others' work, and money or subscriptions asked of villages (若干规定:
            # 不得随意借调基层干部; 中办国办2022意见: 不得向村级组织摊派).
            r"|(?:抽调|借调|借用)[^，,。；;]{0,6}?(?:村|社区)[^，,。；;]{0,4}?(?:干部|工作者|工作人员)|(?:捐款|认购|征订|订阅)[^，,。；;]{0,6}?(?:任务|指标|份数)"
            r"|以属地管理为名|属地管理[^，,。；;]{0,6}?(?:推|甩|转嫁)|痕迹管理"
            # Doing a department's own work in its place (2022 意见: 不得将部门职责转嫁给村级组织), handing work to
            # villages over the county's head (未经县级党委和政府统一部署), and a village's pay tied to an assessment.
            r"|(?:代替|替代|代行)[^，,。；;]{0,8}?(?:派出所|公安|部门|机关|[^结布]局|执法)"
            r"|直接(?:向|给)[^，,。；;]{0,4}?(?:村|社区)[^，,。；;]{0,4}?(?:下发|下派|布置|交办|派发|摊派)"
            r"|未经[^，,。；;]{0,10}?(?:准入|统一(?:安排|部署))"
            r"|(?:报酬|工资|补贴|绩效|奖金)[^，,。；;]{0,4}?挂钩|挂钩[^，,。；;]{0,6}?(?:报酬|工资|补贴|绩效|奖金)"
            r"|(?:要求|让)[^，,。；;]{0,6}成立"
            # Inspections and ranked notices at a fixed beat (若干规定: 不得按月度、季度频繁搞排名通报).
            r"|(?:每[日天周旬月]|按[日周月])[^，,。；;]{0,10}?(?:督查|督导|通报|排名)"
        ),
    ),
    (1, re.compile(r"检查|督导|督查|暗访|抽查|迎检|迎考|陪检|评比|达标|创建")),
    (1, re.compile(r"台账|报表|表格|填表|材料|每[日天](?:报送|上报|填报|更新)|一日一报|一周一报")),
)
BURDEN_ENOUGH = 2


def burden_marks(text: str) -> tuple[int, bool]:
    """How strongly a text bears the marks of a forbidden burden (see BURDEN_MARKS), and whether a strong one
    (ranking, quotas, apps, plaques …) is among them: only that outweighs a statute's own wording."""
    found = [weight for weight, pattern in BURDEN_MARKS if pattern.search(text)]
    return sum(found), any(weight > 1 for weight in found)


_SUPERVISES_BUSINESS = (
    r"(?:企业|商铺|商户|门店|店铺|经营户|经营场所|超市|药店|餐馆|饭店|餐饮|工厂|厂房|娱乐场所|用人单位)[^，,。；;]{0,12}?"
    r"(?:检查|监管|督查|执法|监测|监察|排查整治|整治|取缔|关停)"
)
# Asking for powers a village committee does not hold (执法, 处罚, 鉴定, 收税 …): the reason most negative items give
# ("不具有主体资格和专业资质"), so it leads to the forbidding side like a rule does.
ENFORCEMENT_CUE = re.compile(
    r"执法|行政处罚|处罚|罚款|罚没|查处|查封|扣押|吊销|强制拆除|强制搬迁|强制执行|收缴|稽查|鉴定|税款|税费|收税|协税|护税"
    r"|代征|征税"
    # Inspecting or supervising businesses is a department's supervision (市场监管、应急、消防 …), not the committee's
    # work with its residents: "对辖区商铺、企业开展消防安全检查", "对辖区超市药店开展日常监管".
    r"|" + _SUPERVISES_BUSINESS
)
# A department's own supervision: enforcing the law, or inspecting, supervising or monitoring businesses. Helping a body
# do it is no statutory field's assist duty ("配合应急局对辖区企业开展安全生产检查"; 中办国办2022意见: 不得将部门职责转嫁给
# 村级组织), so it does not make ``assist_field``; helping 查处 crime or 维护治安 still does (居委会组织法第三条).
SUPERVISION = re.compile("执法|" + _SUPERVISES_BUSINESS)
# The committee itself, in every way regulations and reports name it. It is who the work is for, never what the
# work is: kept as a feature, "村民委员会" left "委员会" and "委员" behind and made every article about the committee
# look like the one negative item that names it ("要求村（居）民委员会提供担保").
COMMITTEE = re.compile(
    r"(?:社区|城市)?(?:村|居|村\(居\)|居\(村\)|村\(社区\)|村居)民委员会"
    r"|村\(居\)委会|居\(村\)委会|村委会|居委会|社区居委会"
    r"|基层群众性自治组织|群众性自治组织|基层群众自治组织|村级组织|村\(社区\)组织|社区组织|村\(社区\)|社区\(村\)|村两委"
)
# A contest or selection a township or department runs ("评选", "创评", "参评"): ordinary new work no law gives to
# villages and none forbids, so it needs admission (清单之外要批准) unless a list item names it. With votes,
# quotas or ranking it is a burden instead (BURDEN_MARKS decide that first).
# A one-off survey a department orders ("土地、房屋普查", "实地调查", "摸底") is the same unless a law names it: the
# censuses the statistics law and its regulations put on committees (人口/经济/农业普查) are assist duties.
CONTEST_CUE = re.compile("评选|创评|参评|选评|海选|普查|(?<!入户)调查(?!统计)|摸底|摸排")
# The programmes statutes give committees to assist government in, named as notices and reports name them:
# 兵役法 (兵役登记、征兵), 传染病防治法 and 疫苗管理法 (预防接种), 社会救助暂行办法 (低保、特困), 老年人权益保障法
# (高龄津贴), 突发事件应对法 and 防洪法 (防汛、避险转移), 地质灾害防治条例, and the censuses of the statistics law.
STATUTORY_PROGRAMME = re.compile(
    "兵役|征兵|适龄青年|疫苗|预防接种|低保|最低生活保障|特困|高龄(?:津贴|补贴|老人补贴)|长寿优待金"
    "|防汛|汛期|汛情|避险转移|转移群众|需转移|地质灾害|防灾减灾|减灾避灾|灾害预警|天气预警|(?:人口|经济|农业|污染源)普查"
    # The other fields the organic laws and the statutes name for assisting government (村委会组织法第五条、居委会
    # 组织法第三条, 森林防火条例, 社会救助暂行办法, 传染病防治法, 农村五保供养工作条例, 自然灾害救助条例).
    "|森林防火|森林火灾|护林防火|五保|社会救助|临时救助|救助供养|优抚|传染病|疫情防控"
    "|自然灾害|灾情|民主评议|入户调查|年满(?:18|十八)周岁|山洪|强降雨|暴雨|洪涝|低洼"
    # The rest of the call-up the 兵役法 and the 征兵工作条例 put on committees (应征公民、政治考核、民兵), and relief
    # after a disaster (自然灾害救助条例: 村（居）委会协助灾情统计、救灾款物发放).
    "|应征|政治考核|民兵|受灾|救灾|灾后"
    # Public health and social insurance the committee helps government bring to residents (基本公共卫生服务的老年人
    # 体检、健康管理; 城乡居民医保、养老保险 参保: 社会保险法, 居委会组织法第三条 公共卫生).
    "|体检|健康管理|医保|医疗保险|合作医疗|养老保险"
    # ... as notices name the campaigns: enrolment and contribution drives (参保、参合、征缴), free screenings of the
    # public health programmes (两癌筛查), the safety campaign for children by water (防溺水), and the use and burning
    # ban of straw (大气污染防治法: 秸秆 综合利用 and 禁止露天焚烧), whatever the notice calls the step.
    "|参保|参合|征缴|筛查|两癌|溺水|秸秆"
)
# The fields the organic laws and statutes name for a committee's help to government (村委会组织法第五条、居委会组织法
# 第三条 and the laws that name committees): with 协助/配合 a government body, work in them is an assist duty even when
# no list item words it (a person confirms).
ASSIST_FIELD = re.compile(
    "公共卫生|卫生|防疫|疫苗|计划生育|优抚|救济|救助|低保|特困|治安|安全|防灾|减灾|应急|防汛|防火|民兵|兵役|征兵"
    "|青少年|未成年|学生|入学|辍学|老年|残疾|社会保障|社保|医保|养老保险|人口|普查|统计|就业|失业|环境|消防|流动人口"
    "|户籍|矫正|禁毒|调解|纠纷|交办|开展工作|各项工作"
)
# ... and the help must be to government: a body named as who asks or whom the committee helps, and no business
# helped ("协助保险公司推销", "协助银行推广" is a business's work, to be admitted or refused, never an assist duty).
GOVERNMENT = re.compile(
    "人民政府|政府|街道|办事处|乡镇|镇里|乡里|县里|部门|[^结布]局|派出所|公安|民政|卫健|人社|医保|教育|武装部|机关"
)
HELPS_BUSINESS = re.compile(
    r"(?:协助|配合|帮助)[^，,。；;]{0,6}?(?:公司|银行|企业|商家|保险|商户|机构|厂家|平台)"
)
# Whose work is it (村民委员会组织法第二条、第五条, 城市居民委员会组织法第三条; the tuning sets' convention,
# tests/data/classify_dev_real.README.md): a statute that has the committee do a step of a government body's
# programme is an assist duty even without 协助/配合 — the government's informant or census taker, the information
# it collects and reports, or an administrative step (patrol, registration, campaign, moving people, handing out)
# in a programme the statutes give government (STATUTORY_PROGRAMME). The committee's own affairs stay duties:
# organising, teaching or caring for its residents, publishing its affairs, its own teams and plans.
GOVERNMENT_ROLE = re.compile(
    "信息员|报告员|统计员|普查员|调查员|(?:人口|经济|农业|污染源)?普查|统计调查|调查统计|统计工作"
    # Finding out the numbers the government asks for ("摸清符合条件对象底数", "摸清留守儿童数据") is the same step.
    r"|(?:收集|采集|登记|核实|核查|报送|上报|摸清)[^，,。；;]{0,10}?(?:信息|数据|底数)"
)
# The committee's review of who gets relief (社会救助暂行办法第十一条, 农村五保供养工作条例第七条: the committee holds the
# 民主评议 and posts the result for the township, which decides): a step of the relief programme, however the notice words
# the meeting (评审会, 听证评议, 票决). Its own 民主评议 of its members stays its own affairs.
RELIEF_REVIEW = re.compile(
    r"(?:低保|最低生活保障|特困|五保|救助)[^。；;]{0,40}?(?:评议|评审|票决|公示)"
    r"|(?:评议|评审|票决)[^。；;]{0,24}?(?:低保|最低生活保障|特困|五保|救助)"
)
PROGRAMME_STEP = re.compile(
    "排查|巡查|巡回检查|登记|统计|核查|核实|报送|上报|报告|转报|宣传|演练|转移|撤离|疏散|发放"
    # Mobilising residents for the programme and finding out who it concerns are its steps too (动员参保, 摸清底数).
    "|动员|发动|摸清|摸排|摸底"
)
# The committee's own affairs (村民委员会组织法第二条、第九条, 居民委员会组织法第三条): organising, mobilising or
# teaching its own residents, the village's or community's own public affairs.
OWN_AFFAIRS = re.compile(
    r"(?:组织|发动|动员|引导|教育|带领)[^，,。；;]{0,6}?(?:广大)?(?:村民|居民|群众|村\(居\)民|居\(村\)民)"
    r"|本(?:村|社区|居住地区)的?(?:公共事务|公益事业|村务|事务)"
)
_EVACUATION = re.compile("转移|撤离|疏散|避险|避灾")
# What a government body provides, funds or subsidises ("政府免费……提供避孕药具", "政府拨付的救灾款物") is its
# programme: the committee handing it out or registering for it does a step of it.
GOVERNMENT_PROVIDES = re.compile(
    r"(?:人民政府|政府|部门)[^，,。；;]{0,12}?(?:免费|无偿)?(?:提供|拨付|下拨|发放的|补助|补贴)"
)
# Passing on what it finds or is told ("发现险情及时……报告", "接到……报告的，应当立即转报") is the committee's
# own duty (未成年人保护法, 反家庭暴力法: 发现……及时报告), not a step of the programme.
_FOUND_AND_REPORTED = re.compile(r"(?:发现|接到)[^。；;]*(?:报告|转报|报案)")
# ... and what the committee finds (a hazard, a crime, a child at risk) reported to the body whose work it is: the
# task is the report, not that body's inspection or enforcement a forbidding item names.
# The committee's self-government and mediation (村民委员会组织法第二条 and its chapters on elections, meetings and
# 村务公开): an item forbidding what others do to it (指定、委派或者撤换村民委员会成员) shares its words, not its work.
SELF_GOVERNMENT = re.compile(
    "推选|选举|换届|罢免|村民会议|居民会议|村民代表会议|居民代表会议|村务公开|居务公开|村规民约|居民公约|自治章程|调解"
)
_REPORTS_FINDINGS = re.compile(r"发现[^。；;]{0,30}?(?:报告|报案|转报)")
# A 摸底/摸排 serving such a programme is part of it, not a one-off survey to admit.
_LAWFUL_CENSUS = STATUTORY_PROGRAMME
# A statute's or a list's own wording that gives the committee a task: "村民委员会应当……", "居民委员会协助……",
# "由村（居）民委员会负责……", "村民委员会在乡镇人民政府的指导下……", "鼓励村民委员会……", "村民委员会纳入……体系，
# 协助乡、镇人民政府……". Work a law gives the committee is its duty
# (or, with 协助/配合, an assist duty): such text belongs on the allowed side unless it is itself a prohibition.
_COMMITTEE_WORDS = (
    r"(?:村|居|村\(居\)|居\(村\)|村\(社区\))民委员会|村\(居\)委会|村委会|居委会|基层群众性?自治组织|城乡社区"
)
LEGAL_DUTY_CUE = re.compile(
    rf"(?:{_COMMITTEE_WORDS})[^。；;，,]{{0,24}}?[，,]?"
    r"(?:应当|应|负责|可以|有权|依法|协助|配合|根据需要|在[^，,。；;]{0,20}?指导下|按照[^，,。；;]{0,20}?(?:决定|要求|命令))"
    rf"|^(?:[^，,。；;]{{0,24}}?[、和及或者])?(?:{_COMMITTEE_WORDS})[^。；;]{{0,40}}?(?:应当|有权)"
    rf"|由[^，,。；;]{{0,24}}?(?:{_COMMITTEE_WORDS})[^，,。；;]{{0,40}}?(?:负责|组织|办理|批评教育|保管|提出申请|担任|召集|报)"
    rf"|指导[^，,。；;]{{0,12}}?(?:{_COMMITTEE_WORDS})|^村应当"
    rf"|鼓励[^，,。；;]{{0,6}}?(?:{_COMMITTEE_WORDS})"
    rf"|^(?:{_COMMITTEE_WORDS})[^。；;]{{0,40}}?[，,](?:协助|配合)[^，,。；;]{{0,8}}?(?:人民政府|政府|部门|办事处|机关)"
    # The committee as the subject of the article's verb: "村民委员会履行下列职责", "居民委员会调解物业管理纠纷",
    # "村（居）民委员会收集辖区内老年人基本信息", "村民委员会在镇人民政府指导下组织……".
    rf"|(?:{_COMMITTEE_WORDS})(?:履行|承担)下列职责"
    rf"|^(?:[^，,。；;]{{0,16}}?(?:[、和及]|或者|或))?(?:{_COMMITTEE_WORDS})(?:在[^，,。；;]{{0,20}}?(?:下|中))?[，,]?"
    r"(?:协助|配合|组织|指导|调解|加强|制定|主持|行使|实行|开展|做好|收集|建立|宣传|教育|动员|监督|管理|办理|推动"
    r"|引导|督促|帮助|支持|参与|落实|公布|召集|保管|发现|及时|定期|对)"
)
# A statute naming the committee as the one who agrees, gives an opinion or certifies: the legal basis 民发〔2020〕20号
# asks of a certificate a committee may issue ("应当经村民委员会同意后……", "持……村民委员会意见……").
CERT_BASIS_CUE = re.compile(
    rf"经[^，,。；;]{{0,8}}?(?:{_COMMITTEE_WORDS})|(?:{_COMMITTEE_WORDS})[^。；;]{{0,12}}?(?:同意|意见|签署)"
    rf"|(?:{_COMMITTEE_WORDS})[^。；;]{{0,30}}?(?:可以|应当|负责|有权)[^。；;]{{0,16}}?(?:出具|开具|核实)"
    rf"|由[^，,。；;]{{0,12}}?(?:{_COMMITTEE_WORDS})[^，,。；;]{{0,12}}?(?:出具|开具|核实)"
    # A regulation listing the papers an applicant files: "……及申请人住所地的村民委员会、居民委员会出具的……证明材料".
    rf"|(?:住所地|经常居住地|户籍所在地|所在地)的?(?:{_COMMITTEE_WORDS})[^。；;]{{0,6}}?出具的"
    # A rule that lets the committee certify what it can verify ("属于职责范围且能够核实的，据实出具": 民发〔2020〕20号).
    r"|据实[^，,。；;]{0,10}?出具"
)
# What a committee may certify is what it knows from its own duties (民发〔2020〕20号; 中办国办2022年意见第三部分):
# the residence of the people it serves, the collective's land and membership, opinions statutes ask of it (监护,
# 宅基地, 五保/特困 评议, 受灾), Party work. Facts other bodies record or that it cannot know are not certified by
# it: kinship, marriage and births (户籍、婚姻登记), birth and death (医院、公安), life and health, crime and conduct,
# income, property and jobs, identity, lost papers, accidents and private quarrels (民发〔2020〕20号 清单第一批).
CERT_FORBIDDEN_FACT = re.compile(
    r"亲属|亲子|父子|父女|母子|母女|祖孙|孙子|兄弟|姐妹|夫妻|直系|血亲|继承|是我(?:妈|爸|父|母)|我妈|我爸|我是我"
    r"|婚姻|未婚|已婚|离婚|单身|婚育|生育|出生|死亡|去世|身故|健在|生存|活着|疾病|病情|健康|精神|残疾"
    r"|犯罪|违法|违纪|不良记录|品行|表现|收入|财产|存款|房产|产权|就业|失业|无业|工作单位|无固定工作"
    r"|身份信息|户口|户籍|遗失|丢失|补办|养犬|失踪|住所|经营场所|摔伤|摔倒|意外|事故|吵架|撕钱|赡养|对媳妇"
    r"|无人居住|用电|用水|燃气|树木|砍伐|不扰民|同意将住宅"
    # Eligibility for housing support rests on income and property the housing department checks.
    r"|廉租|公租房|经济适用房|保障性住房|保障房"
)
CERT_ALLOWED_FACT = re.compile(
    r"(?<!无人)(?<!不)居住(?:情况|地|证明)|常住|经常居住地|集体经济组织成员|集体(?:组织)?成员|土地承包|承包经营|宅基地|建房"
    r"|监护|五保|特困供养|民主评议|入户调查|调查核实|初审意见|无人抚养|困境儿童"
    r"|受灾|灾情|遭[^，,。；;]{0,2}?灾|[洪旱风雪雹震涝]灾|政审|发展党员|入党|党员[^，,。；;]{0,8}?报到"
    # Residence as the committee sees it (where and how long someone actually lives), membership of the village and its
    # land (承包地、流转、山林), the village's own rules, left-behind children it looks after (未成年人保护法), and the
    # opinion the call-up asks of it (应征公民政治考核).
    r"|实际居住|居住(?:满|年限|时间|期限)|在本(?:村|社区|小区)居住|本村村民|村民身份|承包地|土地流转|林地|山林|林权"
    r"|村规民约|居民公约|留守|应征|政治考核"
    # A household's hardship the committee surveys and vouches for (助学、救助: 家庭经济困难证明 in the lists in force).
    r"|经济困难|生活困难|家庭困难|困难家庭|贫困"
    r"|收养|受害妇女|家庭暴力"
)
# Certificates a law itself asks of the committee, whatever other facts they mention: the adopter's circumstances
# (《中国公民收养子女登记办法》第六条, 婚姻状况 included) and a battered woman's request (反家庭暴力法, 妇女权益保障法).
# The law decides them; a fact others record in the same words does not make them forbidden.
CERT_STATUTE_FACT = re.compile("收养|受害妇女|家庭暴力")
# A request or a report, not a legal text: the statute cue does not apply to "要求村委会……" or "请各社区……".
_REQUEST = re.compile(
    r"要求(?:各|村|社区|居委|基层|乡镇|辖区|每)|(?<![提申聘邀报呈恳])请(?!求|示)|务必|下达|层层|摊派|督促各|通知各"
    r"|要由|要社区|要村|需要(?:社区|村|居委)|被要求|(?<![转出退谦礼割])让|找|帮(?!助|扶|教|困|带)"
)
# Who asks, at the head of a notice or a report: "县住建局要求各村……", "街道办下发通知，请社区……".
_SUBJECT = re.compile(
    r"^[^，,。；;：:]{0,16}?(?:局|办|所|委|中心|部门|站|队|街道|政府|党委|镇里|乡里|县里|区里|市里)"
    r"(?:下发通知|发文|印发通知|通知|发函)?[，,]?(?:要求|请|让|责令|安排|委托|通知|布置|交办)"
)
_LEADING_ASSIST = re.compile(
    r"^(?:[（(][一二三四五六七八九十0-9]+[)）]|[0-9一二三四五六七八九十]+[、.．])?\s*(?:协助|配合|协同)"
)
# Words that wrap a task rather than say what it is, legal boilerplate and request phrasing.
STOPWORDS = frozenset(
    """
    请 各 要 应 应当 可以 需要 要求 务必 必须 希望 麻烦 帮 帮忙 帮我 给 给我 我 我们 我家 你们 他 她 本人 一下 一个 这个
    那个 什么 能否 能不能 可不可以 是否 用 要用 用于 使用 的 了 和 与 及 以及 或 或者 等 等等 并 对 为 在 把 将 于 由 向
    协助 配合 协同 协办 帮助 开展 做好 搞好 抓好 落实 进行 负责 完成 工作 相关 有关 事项 任务 情况 具体 认真 切实 扎实
    积极 及时 按时 全面 进一步 加强 推进 推动 确保 通知 方案 专项 行动 上报 报送 汇总 填报 统一 每天 每周 每月 定期
    年度 本年度 今年 全年 本周 牵头 安排 依法 依照 按照 根据 规定 其他 多种 形式 主要 所属 范围 区域 本 内 辖区 辖区内
    本辖区 社区 村 村里 村委会 居委会 村民委员会 居民委员会 社区组织 村级组织 村级 乡镇 街道 街道办 街道办事处 办事处
    乡镇人民政府 镇人民政府 乡人民政府 民族乡 人民政府 政府 派出机关 有关部门 相关部门 部门 各级 当地 本地 所在地 地方 居民 群众 居民群众 村民
    开具 出具 开 开个 开一个 出 出个 出一个 证明 办理 办 一份 份 立即 马上 尽快 目前 现在 已经 一直 好几年 多年 几年
    每个 每户 至少 所有 全部 各项 一些 有些 某 某个 这些 那些
    不得 严禁 禁止 不准 不许 不允许 一律 不应 不宜 不再 杜绝 取消 叫停 不予 坚决 纠正 交由 交给 转嫁 推给 转交 承担
    村民委员会 居民委员会 村(居)民委员会 村(社区) 村(居) 村居 村委 居委 村两委 两委 村级组织 基层群众性自治组织
    自治组织 基层 网格员 村干部 社区干部 下发 要求 通知 让 安排 委托
    """.split()
)
# Generic actions say how, not what: they count half, so sharing only them is not a match.
GENERIC_WORDS = frozenset(
    """
    组织 参加 参与 开展 维护 管理 服务 建设 宣传 教育 检查 统计 登记 排查 整治 治理 监督 监管 指导 活动 发现 报告 实施
    提供 促进 保障 处理 核查 核实 收集 调查 走访 信息 日常 发放 申报 审核 协调 动员 引导 支持 帮扶 预防 防治 普及 知识
    措施 机制 制度 建立 健全 设立 成立 人员 对象 单位 家庭 公共 安全 生活 工作人员 合法权益 权益 相关知识
    """.split()
)
_FUNCTION_CHARS = frozenset(
    "的了和与及或等并对为在把将于由向之其而且也都就所以被让使请各要应给我你他她它们是有个份前底"
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().strip()


@lru_cache(maxsize=8)
def _read_groups(path: str) -> tuple[tuple[str, ...], ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    groups = []
    for n, group in enumerate(data.get("groups") or [], start=1):
        terms = tuple(dict.fromkeys(normalise(str(t)) for t in group if str(t).strip()))
        if len(terms) < 2:
            raise ValueError(f"{path}: group {n} needs at least two terms: {group!r}")
        groups.append(terms)
    return tuple(groups)


def load_synonyms(path=None) -> dict[str, tuple[str, ...]]:
    """Each term of the table mapped to the other terms of its group, first term first."""
    synonyms: dict[str, tuple[str, ...]] = {}
    for group in _read_groups(str(path or DEFAULT_SYNONYMS)):
        for term in group:
            others = tuple(t for t in group if t != term)
            synonyms[term] = tuple(dict.fromkeys(synonyms.get(term, ()) + others))
    return synonyms


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie: fast, and longest match first at each position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def is_marker(ch: str) -> bool:
    """Whether a character is a concept token (a synonym group), not text."""
    return _MARKER_LO <= ch <= _MARKER_HI


@lru_cache(maxsize=65536)
def _sub_words(token: str) -> tuple[str, ...]:
    return tuple(
        t
        for t in rjieba.cut_for_search(token)
        if t != token and t not in STOPWORDS and not _splits_proof(t, token)
    )


def _splits_proof(sub: str, token: str) -> bool:
    """A sub-word that cuts 证明 in two: in "身份证明" or "居住证明" the 证 belongs to 证明 (a certificate of identity,
    of residence), so "身份证" or "居住证" (an identity card, a residence permit) is no word of it; kept, it made a
    村民身份证明 match the 身份证遗失证明 of the forbidden list."""
    return sub.endswith("证") and f"{sub}明" in token and f"{sub}证明" not in token


@dataclass(frozen=True)
class Analysis:
    words: tuple[str, ...]
    bigrams: tuple[str, ...]
    chars: str  # concept-marked, stopword-free text for the character similarity
    assist_cue: bool
    rule_cue: bool = False
    enforcement_cue: bool = False
    legal_cue: bool = False  # a statute's or list's wording giving the committee the task
    assist_verb: bool = False  # 协助/配合: the verb that makes a statutory task an assist duty
    burden_cue: bool = False  # the marks of a forbidden burden: ranking, quotas, check-ins, votes, plaques
    cert_basis_cue: bool = False  # a statute naming the committee as who agrees or certifies
    contest_cue: bool = False  # a contest, selection or one-off survey a township or department runs
    programme_cue: bool = (
        False  # names a programme statutes give committees to assist in (兵役, 预防接种, 防汛 …)
    )
    cert_forbidden_fact: bool = False  # a fact a committee cannot know or others record (亲属, 婚姻, 死亡 …)
    cert_allowed_fact: bool = False  # a fact a committee knows from its own duties (居住, 宅基地, 监护 …)
    cert_statute_fact: bool = False  # a certificate a law itself asks of the committee (收养, 受害妇女 …)
    assist_field: bool = False  # 协助/配合 a government body in a field the statutes give committees
    aids_work: bool = (
        False  # 协助/配合 someone's work, not a business's, in a text that is no rule and bears no burden
    )
    government_work: bool = False  # a step of a government programme, with or without 协助
    government_role: bool = (
        False  # ... its informant, census taker or relief reviewer (GOVERNMENT_ROLE, RELIEF_REVIEW)
    )
    own_affairs: bool = False  # organising or teaching its own residents, the village's own affairs
    reports_findings: bool = False  # reporting what it finds to the body whose work it is (发现……报告)
    self_government: bool = False  # its elections, meetings, 村务公开, 村规民约, mediation
    strong_burden: bool = False  # a burden cue with a strong mark (ranking, quotas, apps, plaques …)


class Analyzer:
    """Text to concept-marked word and bigram features, the same for items and queries."""

    def __init__(self, synonyms: tuple[tuple[str, tuple[str, ...]], ...]):
        concept: dict[str, int] = {}
        self.names: list[str] = []
        for term, others in synonyms:  # groups sharing a term become one concept
            group = [normalise(t) for t in (term, *others)]
            ids = {concept[t] for t in group if t in concept}
            target = min(ids) if ids else len(self.names)
            if not ids:
                self.names.append(group[0])
            for t, cid in concept.items():
                if cid in ids:
                    concept[t] = target
            concept.update((t, target) for t in group if t)
        self._marker = {t: chr(_MARKER_BASE + cid) for t, cid in concept.items()}
        self._synonym_re = re.compile(_trie_pattern(self._marker)) if self._marker else None

    def concept_name(self, token: str) -> str:
        return self.names[ord(token) - _MARKER_BASE] if _MARKERS.fullmatch(token) else token

    def analyze(self, text: str, cues: bool = True) -> Analysis:
        """The features of ``text`` and, with ``cues``, the cues a query is judged by. An item's units are
        analysed without cues (``analyze_unit``): nothing reads them, and their regexes were a third of the
        index build."""
        text = normalise(text)
        found = self._cues(text) if cues else {}
        if not _LEADING_ASSIST.match(text):  # "协助卫健部门通知……" is the task, not who asks
            text = _SUBJECT.sub("|", text)
        return self._features(text, found)

    def analyze_unit(self, text: str) -> Analysis:
        return self.analyze(text, cues=False)

    @staticmethod
    def _cues(text_in: str) -> dict[str, bool]:
        request = bool(_REQUEST.search(text_in))
        legal = bool(LEGAL_DUTY_CUE.search(text_in)) and not request
        cert_basis = bool(CERT_BASIS_CUE.search(text_in)) and not request
        marks, strong = burden_marks(text_in)
        burden = marks >= BURDEN_ENOUGH
        text = text_in if _LEADING_ASSIST.match(text_in) else _SUBJECT.sub("|", text_in)
        assist_verb = bool(ASSIST_VERB.search(_OTHERS_HELP.sub("|", _HELPS_OWNERS.sub("|", text))))
        programme = bool(STATUTORY_PROGRAMME.search(text))
        rule = bool(RULE_CUE.search(text))
        return {
            "assist_cue": bool(_ASSIST_CUE.search(text)),
            "rule_cue": rule,
            "enforcement_cue": bool(ENFORCEMENT_CUE.search(text)),
            "legal_cue": legal and not rule and not (burden and strong),
            "assist_verb": assist_verb,
            "burden_cue": burden,
            "strong_burden": burden and strong,
            "cert_basis_cue": cert_basis and not rule,
            "contest_cue": bool(CONTEST_CUE.search(text)) and not programme,
            # Helping a business sell its insurance ("协助保险公司推销养老保险") is no statutory programme.
            "programme_cue": programme and not rule and not burden and not HELPS_BUSINESS.search(text_in),
            "cert_forbidden_fact": bool(CERT_FORBIDDEN_FACT.search(text_in)),
            "cert_allowed_fact": bool(CERT_ALLOWED_FACT.search(text_in)),
            "cert_statute_fact": bool(CERT_STATUTE_FACT.search(text_in)),
            "government_role": not rule
            and not burden
            and bool(GOVERNMENT_ROLE.search(text) or RELIEF_REVIEW.search(text)),
            "government_work": not rule
            and not burden
            and (
                bool(GOVERNMENT_ROLE.search(text))
                or bool(RELIEF_REVIEW.search(text))
                or (
                    (programme or bool(GOVERNMENT_PROVIDES.search(text)))
                    and bool(PROGRAMME_STEP.search(_FOUND_AND_REPORTED.sub("|", text)))
                )
            ),
            # Moving people out of danger is the government's decision (突发事件应对法), not the village's own affairs.
            "own_affairs": bool(OWN_AFFAIRS.search(text))
            and not assist_verb
            and not _EVACUATION.search(text),
            "reports_findings": bool(_REPORTS_FINDINGS.search(text)) and not rule and not burden,
            "self_government": bool(SELF_GOVERNMENT.search(text)) and not rule and not burden,
            "aids_work": assist_verb and not HELPS_BUSINESS.search(text_in) and not rule and not burden,
            "assist_field": assist_verb
            and bool(ASSIST_FIELD.search(text) and GOVERNMENT.search(text_in))
            and not HELPS_BUSINESS.search(text_in)
            and not SUPERVISION.search(text)
            and not rule
            and not burden,
        }

    def _features(self, text: str, found: dict[str, bool]) -> Analysis:
        text = COMMITTEE.sub("|", _NUMBERS.sub("|", text))
        if self._synonym_re is not None:
            text = self._synonym_re.sub(lambda m: self._marker[m.group()], text)
        words: list[str] = []
        bigrams: list[str] = []
        segments: list[str] = []
        run: list[str] = []  # kept tokens of the current segment
        for token in rjieba.cut(_WRAPPERS.sub("|", text)):
            first = token[0]
            if first in _SEPARATOR_CHARS:
                _flush(run, segments, bigrams)
            elif len(token) == 1 and _MARKER_LO <= first <= _MARKER_HI:
                run.append(token)
                words.append(token)
            elif token in STOPWORDS:
                continue
            elif len(token) == 1:
                if token not in _FUNCTION_CHARS:
                    run.append(token)
            else:
                run.append(token)
                words.append(token)
                if len(token) > 2:  # 农贸市场 also matches 农贸 and 市场
                    words.extend(_sub_words(token))
        _flush(run, segments, bigrams)
        return Analysis(
            tuple(dict.fromkeys(words)),
            tuple(dict.fromkeys(bigrams)),
            " ".join(segments),
            assist_cue=found.get("assist_cue", False),
            **{k: v for k, v in found.items() if k != "assist_cue"},
        )


def _flush(run: list[str], segments: list[str], bigrams: list[str]) -> None:
    """End a segment: its text for the character similarity, its bigrams (a concept stands alone)."""
    if not run:
        return
    segments.append("".join(run))
    chain = ""
    for token in run:
        if len(token) == 1 and _MARKER_LO <= token <= _MARKER_HI:
            bigrams.append(token)
            bigrams.extend(chain[i : i + 2] for i in range(len(chain) - 1))
            chain = ""
        else:
            chain += token
    bigrams.extend(chain[i : i + 2] for i in range(len(chain) - 1))
    run.clear()


@lru_cache(maxsize=4)
def analyzer_for(synonyms: tuple) -> Analyzer:
    return Analyzer(synonyms)


def strip_notes(text: str) -> str:
    """Without bracketed notes: "农村土地承包经营情况证明（村集体作为发包方）" is matched without them too."""
    return _NOTES.sub("", text).strip()


def _clauses(text: str) -> list[str]:
    """The clauses of a note-free text, when it has more than one."""
    parts = [re.sub(r"等$", "", p.strip()) for p in _CLAUSE_SEPARATORS.split(text)]
    parts = [p for p in parts if p]
    return parts if len(parts) > 1 else []


def _enumeration(clause: str) -> list[str]:
    """Enumerations: "A、B、C等X" gives AX, BX, CX; parallel terms ("民主选举、民主协商") give each term, but not
    "住宅小区、居民自建房安全隐患排查整治", whose tail belongs to both."""
    parts = [p for p in clause.split("、") if p]
    if len(parts) < 2:
        return []
    head, sep, tail = parts[-1].partition("等")
    if sep and tail:
        return [p + tail for p in (*parts[:-1], head)]
    lengths = [len(p) for p in parts]
    return parts if max(lengths) <= ENUM_PARALLEL * min(lengths) else []


def _merge(analyses: list[Analysis]) -> Analysis:
    """The analysis of clauses joined by separators is the union of theirs (a unit's cues are never read)."""
    return Analysis(
        tuple(dict.fromkeys(w for a in analyses for w in a.words)),
        tuple(dict.fromkeys(b for a in analyses for b in a.bigrams)),
        " ".join(a.chars for a in analyses if a.chars),
        False,
    )


def item_units(
    item, analyze, clause_factor: float, enum_factor: float
) -> Iterator[tuple[str, float, Analysis]]:
    """(text, score factor, analysis) of each unit an item is matched by: its content and examples (with
    and without bracketed notes), each of their clauses and each term of an enumeration in a clause."""
    for whole in (t.strip() for t in (item.content, *item.examples)):
        bare = strip_notes(whole)
        clauses = [(c, analyze(c)) for c in _clauses(bare)]
        merged = _merge([a for _, a in clauses]) if clauses else analyze(bare)
        yield bare, 1.0, merged
        if whole != bare:
            yield whole, 1.0, analyze(whole)
        for clause, analysis in clauses or [(bare, merged)]:
            yield clause, clause_factor, analysis
            for part in _enumeration(clause):
                yield part, enum_factor, analyze(part)
