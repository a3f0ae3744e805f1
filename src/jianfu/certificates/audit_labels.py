"""Chinese names of this app's audit actions (registered with core.registry)."""

ACTION_LABELS: dict[str, str] = {
    "certificate.issue": "出具证明",
    "certificate.refuse": "登记不予出具",
    "certificate.commit": "登记告知承诺",
    "certificate.revoke": "作废证明或承诺书",
    "certificate.view_id": "查看完整身份证号码",
    "certificate_type.create": "新增证明事项模板",
    "certificate_type.update": "修改证明事项模板",
}
