"""Sample records for `make demo`. Idempotent: a second run changes nothing."""


def load_demo_records() -> str:
    return "督查检查与机制牌子：暂无演示数据"
