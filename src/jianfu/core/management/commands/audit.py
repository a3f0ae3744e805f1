from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianfu.audit.services import audit_purge
from jianfu.audit.verify import CheckpointError, audit_verify, checkpoint_export, checkpoint_parse


class Command(BaseCommand):
    help = (
        "审计日志：verify 核验密钥哈希链（--checkpoint 可附以前导出的检查点，可重复）；"
        "checkpoint 导出签名的链头检查点（请保存在系统之外）；purge 清理超过保存期（至少 184 天）的记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "purge"])
        parser.add_argument(
            "--checkpoint", action="append", default=[], metavar="FILE", help="verify：以前导出的检查点文件"
        )
        parser.add_argument("--output", metavar="FILE", help="checkpoint：写入此文件（默认打印）")

    def handle(self, *args, action, checkpoint, output=None, **options):
        if action == "purge":
            self.stdout.write(f"已清理 {audit_purge()} 条过期审计记录。")
        elif action == "checkpoint":
            self._checkpoint(output)
        else:
            self._verify(checkpoint)

    def _checkpoint(self, output):
        import json

        text = json.dumps(checkpoint_export(actor=None), ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"检查点已写入 {output}，请保存在系统之外。")
        else:
            self.stdout.write(text)

    def _verify(self, paths):
        try:
            checkpoints = [checkpoint_parse(Path(p).read_bytes(), p) for p in paths]
        except (OSError, CheckpointError) as exc:
            raise CommandError(str(exc)) from exc
        result = audit_verify(checkpoints)
        if not result.ok:
            raise CommandError(
                f"审计链被破坏：第一条异常记录 #{result.first_broken_seq}：{result.reason}（此前 {result.checked} 条正常）"
            )
        against = f"，与 {result.checkpoints} 个检查点相符" if result.checkpoints else ""
        self.stdout.write(f"审计链完整：{result.checked} 条记录全部核验一致{against}。")
