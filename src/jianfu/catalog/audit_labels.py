"""Chinese names of this app's audit actions (registered with core.registry)."""

ACTION_LABELS: dict[str, str] = {
    "worklist.start_draft": "新建清单草稿",
    "worklist.update_draft": "修改清单草稿",
    "worklist.import_items": "导入清单事项",
    "worklist.publish": "发布清单",
    "worklist.retire": "废止清单",
    "worklist.discard_draft": "删除清单草稿",
    "worklist.load_reference": "载入参考清单",
    "worklist.add_found_item": "补录国家层面清单事项",
    "listitem.create": "新增清单事项",
    "listitem.update": "修改清单事项",
    "listitem.remove": "删除清单事项",
    "catalog.review_request": "提请人工研判比对结论",
    "catalog.verdict_correct": "人工研判确认或更正比对结论",
    "catalog.card_create": "编写办理流程卡",
    "catalog.card_update": "修改办理流程卡",
    "catalog.card_submit": "提交办理流程卡",
    "catalog.card_accept": "采用办理流程卡",
    "catalog.card_return": "退回办理流程卡",
}
