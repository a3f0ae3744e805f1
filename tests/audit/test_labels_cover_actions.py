"""Every audit action the code writes has a Chinese name for the inspector's pages and export."""

import re
from pathlib import Path

from jianfu.audit.labels import ACTION_LABELS
from jianfu.core import registry

SRC = Path(__file__).resolve().parents[2] / "src" / "jianfu"


def test_it_names_every_action_the_code_records():
    written = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        written |= (
            {f"admission.review_{o}" for o in ("simple", "ordinary", "urgent")}
            if "review_{outcome}" in text
            else set()
        )
    missing = sorted(written - set(ACTION_LABELS) - set(registry.AUDIT_LABELS))
    assert not missing, missing
