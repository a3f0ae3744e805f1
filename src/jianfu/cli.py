"""The ``jianfu`` command: manage.py under a friendlier name.

jianfu demo | serve | import KIND FILE | export KIND FILE | audit verify | backup PATH | restore PATH --yes
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jianfu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
