"""jianfu classify: JSON Lines (or plain lines) on stdin, one JSON verdict per line on stdout."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jianfu.catalog.classify import classify, verdict_as_dict
from jianfu.catalog.matching import text_problem
from jianfu.orgs.models import Level, Region


class Command(BaseCommand):
    help = '事项比对：从标准输入逐行读取 {"id", "text"}（或纯文本行），每行输出一条 JSON 结果。'

    def add_arguments(self, parser):
        parser.add_argument("--certificates", action="store_true", help="证明事项比对")
        parser.add_argument("--region", help="区划代码（默认：第一个县级区划）")
        parser.add_argument("--on", help="比对日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, certificates=False, region=None, on=None, **options):
        place = self._region(region)
        day = date.fromisoformat(on) if on else timezone.localdate()
        mode = "certificate" if certificates else "work"
        for number, line in enumerate(sys.stdin, start=1):
            line = line.strip()
            if not line:
                continue
            item_id, text = self._parse(line, number)
            problem = text_problem(text)
            if problem:  # this line is answered with the reason; the others are still judged
                self.stderr.write(f"第 {number} 行：{problem}")
                self.stdout.write(
                    json.dumps({"id": item_id, "text": text[:200], "error": problem}, ensure_ascii=False)
                )
                continue
            result = {"id": item_id, "text": text, **verdict_as_dict(classify(text, place, day, mode=mode))}
            self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _region(self, code):
        region = (
            Region.objects.filter(code=code).first()
            if code
            else Region.objects.filter(level=Level.COUNTY).order_by("code").first()
        )
        if region is None:
            raise CommandError(f"找不到区划 {code or '（县级）'}；请先运行 jianfu demo 或导入区划。")
        return region

    @staticmethod
    def _parse(line: str, number: int):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"第 {number} 行不是有效的 JSON：{exc.msg}") from exc
            return data.get("id", number), str(data.get("text", ""))
        return number, line
