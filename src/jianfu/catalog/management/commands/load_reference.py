from django.core.management.base import BaseCommand

from jianfu.catalog.reference import load_reference_lists


class Command(BaseCommand):
    help = "载入 data/lists/ 中的参考清单（已载入的跳过）。"

    def handle(self, *args, **options):
        loaded = load_reference_lists()
        for work_list in loaded:
            self.stdout.write(f"已载入：{work_list}（{work_list.items.count()} 项）")
        if not loaded:
            self.stdout.write("参考清单均已载入，无变化。")
