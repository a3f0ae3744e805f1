"""Sample records for `make demo`. Idempotent: a second run changes nothing."""


def load_demo_records() -> str:
    """Load the sample records; return one line saying what was added."""
    return ""
