"""Loads the demo geography, departments and personas from data/demo through the Excel importers."""

import csv
import io
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook

from .imports import IMPORTERS

DEMO_DIR = settings.PROJECT_DIR / "data" / "demo"
DEMO_PASSWORD = "Jianfu@2026"


def csv_as_workbook(path: Path) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def load_demo() -> dict:
    if settings.PRODUCTION:
        raise RuntimeError("生产环境不能加载演示数据（演示账号使用公开的默认密码）。")
    results = {}
    for kind in ("regions", "departments", "users"):
        path = DEMO_DIR / f"{kind}.csv"
        results[kind] = IMPORTERS[kind](actor=None, fileobj=csv_as_workbook(path), filename=path.name)
    return results


def demo_accounts() -> list[dict]:
    with (DEMO_DIR / "users.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
