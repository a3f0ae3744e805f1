"""Chinese names of the audit actions this app records (merged into jianfu.audit.labels)."""

ACTION_LABELS: dict[str, str] = {
    "federation.peer_register": "登记省级部署及其签名公钥",
    "federation.accept": "接收省级月度汇总",
    "federation.correct": "接收省级月度汇总的更正",
    "federation.build": "生成本省月度汇总",
    "federation.push": "向国家平台报送月度汇总",
    "federation.push_refused": "国家平台拒绝本省月度汇总",
}
