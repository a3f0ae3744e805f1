"""Sample records for `make demo`. Idempotent: a second run changes nothing."""


def load_demo_records() -> str:
    return "专项行动与考评：暂无演示数据"
