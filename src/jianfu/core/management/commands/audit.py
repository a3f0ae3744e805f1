from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianfu.audit.selectors import chain_names
from jianfu.audit.services import audit_purge
from jianfu.audit.verify import CheckpointError, audit_verify, checkpoint_export, checkpoint_parse


class Command(BaseCommand):
    help = (
        "审计日志：verify 逐链（每县一条）核验密钥哈希链（--checkpoint 可附以前导出的检查点，可重复）；"
        "checkpoint 导出签名的各链链头检查点（请保存在系统之外）；purge 清理超过保存期（至少 184 天）的记录。"
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
        names = chain_names([c.chain for c in result.chains])
        for chain in result.chains:  # one line a chain: which county's chain, how many records, its result
            state = (
                "一致" if chain.ok else f"被破坏：第一条异常记录 #{chain.first_broken_seq}：{chain.reason}"
            )
            self.stdout.write(f"{names[chain.chain]}（{chain.chain}）：{chain.checked} 条，{state}")
        if not result.ok:
            broken = "；".join(
                f"{names[c.chain]}的审计链被破坏：第一条异常记录 #{c.first_broken_seq}：{c.reason}"
                f"（此前 {c.checked} 条正常）"
                for c in result.broken
            )
            raise CommandError(broken or f"审计链被破坏：{result.reason}")
        against = f"，与 {result.checkpoints} 个检查点相符" if result.checkpoints else ""
        self.stdout.write(
            f"审计链完整：{len(result.chains)} 条链共 {result.checked} 条记录全部核验一致{against}。"
        )
