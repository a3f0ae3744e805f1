"""Make this province's signing key: the private key into a file (mode 600), the public key printed for the
national instance to register."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianfu.federation import signing


class Command(BaseCommand):
    help = "生成本省报送月度汇总用的 Ed25519 密钥：私钥写入文件，公钥交国家平台登记"

    def add_arguments(self, parser):
        parser.add_argument("path", help="私钥文件（不得已存在）；之后设置 JIANFU_FEDERATION_KEY_FILE 指向它")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"文件「{target}」已存在，不会覆盖已有的私钥。")
        private, public = signing.new_private_key()
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(private + "\n")
        self.stdout.write(f"私钥已写入 {target}。请将下面的公钥交国家平台登记：\n{public}")
