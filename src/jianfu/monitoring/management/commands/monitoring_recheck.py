"""Re-check burden events stored as 未能判定 (a rule provider was not ready when they arrived)."""

from django.core.management.base import BaseCommand

from jianfu.monitoring import services


class Command(BaseCommand):
    help = "重新核验“未能判定”的负担事件"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=10000)

    def handle(self, *args, limit=10000, **options):
        counts = services.recheck_undecided(limit=limit)
        self.stdout.write(
            f"重新核验：合规 {counts['ok']}，违规 {counts['violation']}，仍未能判定 {counts['undecided']}"
        )
