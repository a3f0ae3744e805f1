"""The comparison the savings pages show: Jiangxi's 一表同享 reform, in the words and figures of its published
reports (read 2026-12 through the project's search of stored public pages). Kept as cited data, not a target a
county is scored against."""

FORMS_SOURCE = (
    "江西省大数据中心网站“江西积极推行‘一表同享’改革”：首批试点县（市、区）重点领域的业务表单由平均91张（种）"
    "初步压减至39张（种），压减率65.3%；指标条目由1849个初步压减至904个，压减率51.21%。"
)
FORMS_URL = "https://www.jxdata.com/news/detail/1160.html"
SERVED_SOURCE = (
    "新闻报道（转载）“江西‘一表同享’为基层减负”：在吉安市青原区等地，大约七成常用工作表格中的数据可以直接从"
    "系统中获取，填报时间缩短超过80%。"
)
SERVED_URL = "http://news.gzbj58.com/298989.html"

JIANGXI = {
    "forms_before": 91,
    "forms_after": 39,
    "forms_cut": 65.3,
    "indicators_before": 1849,
    "indicators_after": 904,
    "indicators_cut": 51.21,
    "served_share": 70,  # 约七成: of the commonly used forms' data, read from the system (青原区等地)
    "forms_source": FORMS_SOURCE,
    "forms_url": FORMS_URL,
    "served_source": SERVED_SOURCE,
    "served_url": SERVED_URL,
}
