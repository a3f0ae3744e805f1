"""Sample records for `make demo`. Idempotent: a second run changes nothing."""


def load_demo_records() -> str:
    return "减负监测：暂无演示数据"
