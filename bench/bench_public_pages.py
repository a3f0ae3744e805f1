"""Public pages against a bare Django view under the same gunicorn, in the same run.

The issue's anchor (#23): the public lists page served 114 requests/s where a bare Django view served 4,186
(0.027×), the landing page 0.37×; the target is ≥ 0.5× the bare view. The server is ``jianfu serve``'s
gunicorn (2 workers × 4 threads, no access log) on a scratch SQLite file with the demo geography and the
reference lists; the load comes from two client processes of four threads each, one connection per request
(``Connection: close``), for a fixed time per URL. Each figure is the number of 200 answers (304 for the
revalidation row) per second.

Rows: the bare view; the lists page and the landing page as a visitor gets them (the cache holds the version
in force); the lists page when every request asks for another day (each a new version: a render, the
pre-cache cost plus the version query); a browser or CDN revalidating with ``If-None-Match`` (304).
"""

import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from .harness import Context, Table, fresh_database

ANCHOR_BARE = 4186
ANCHOR_LISTS = 114
TARGET_RATIO = 0.5
CLIENT_PROCESSES = 2
CLIENT_THREADS = 4


def run(ctx: Context, *, seconds: float = 10.0, rounds: int = 10, port: int = 8101) -> Table:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from jianfu.orgs.demo import load_demo

    fresh_database(ctx, "public_pages")
    load_demo()
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    database = str(connection.settings_dict["NAME"])
    connection.close()
    county = "428521000000"
    with _server(ctx, database, port) as base:
        status, _, headers = _request(base, f"/public/lists/?region={county}")
        etag = headers.get("etag", "")
        if status != 200 or not etag:
            raise RuntimeError(f"the lists page answered {status} without an ETag")
        rows = {
            "bare": (["/bench/bare/"], 200, ""),
            "lists": ([f"/public/lists/?region={county}"], 200, ""),
            "landing": (["/"], 200, ""),
            "miss": ([f"/public/lists/?region={county}&on={day}" for day in _days(2000)], 200, ""),
            "revalidate": ([f"/public/lists/?region={county}"], 304, f"If-None-Match: {etag}\r\n"),
        }
        # Rows take turns, one slice each per round, so a change in the machine's load falls on all of them.
        done = dict.fromkeys(rows, 0.0)
        spent = dict.fromkeys(rows, 0.0)
        for _ in range(rounds):
            for name, (paths, expect, extra) in rows.items():
                count, elapsed = _rate(base, paths, seconds / rounds, expect=expect, extra=extra)
                done[name] += count
                spent[name] += elapsed
        figures = {name: done[name] / spent[name] for name in rows}
    bare = figures["bare"]
    table = Table(
        f"Public pages against a bare Django view, same gunicorn, same run ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {seconds:.0f} s per row)"
    )
    table.add("bare Django view, requests/s", f"{bare:,.0f}", f"anchor {ANCHOR_BARE:,}")
    for key, label, anchor in (
        ("lists", "public lists page (cached version), requests/s", f"anchor {ANCHOR_LISTS} (0.027×)"),
        ("landing", "landing page (cached), requests/s", "anchor 0.37×"),
        ("miss", "lists page, a new day each request (render), requests/s", f"anchor {ANCHOR_LISTS}"),
        ("revalidate", "lists page revalidated (304), answers/s", "—"),
    ):
        ratio = figures[key] / bare if bare else 0.0
        cached = key in ("lists", "landing")
        target = f"≥ {TARGET_RATIO}× bare; {anchor}" if cached else anchor
        table.add(
            label,
            f"{figures[key]:,.0f} ({ratio:.2f}× bare)",
            target,
            ratio >= TARGET_RATIO if cached else None,
        )
    return table


class _server:
    def __init__(self, ctx: Context, database: str, port: int):
        self.ctx, self.database, self.port = ctx, database, port

    def __enter__(self) -> tuple[str, int]:
        root = Path(__file__).resolve().parents[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.site_settings",
            "JIANFU_SQLITE": self.database,
            "JIANFU_DEBUG": "0",
            "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        }
        env.pop("DATABASE_URL", None)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "jianfu.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        command += ["--workers", "2", "--threads", "4", "--log-level", "warning"]
        self.process = subprocess.Popen(command, env=env, cwd=root)
        base = ("127.0.0.1", self.port)
        for _ in range(300):
            try:
                if _request(base, "/bench/bare/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            self.__exit__()
            raise RuntimeError("gunicorn did not start")
        # Warm every worker (imports, template loading, the release hash) before timing.
        _rate(base, ["/bench/bare/", "/public/lists/", "/"], 1.0)
        return base

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _request(base: tuple[str, int], path: str, extra: str = "") -> tuple[int, bytes, dict]:
    with socket.create_connection(base, timeout=30) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), body, headers


def _client(base, paths, seconds, expect, extra, queue) -> None:
    done = [0] * CLIENT_THREADS
    deadline = time.perf_counter() + seconds

    def loop(slot: int) -> None:
        n = slot
        while time.perf_counter() < deadline:
            status = _request(base, paths[n % len(paths)], extra)[0]
            if status != expect:
                raise RuntimeError(f"{paths[n % len(paths)]} answered {status}")
            done[slot] += 1
            n += CLIENT_THREADS

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(CLIENT_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(sum(done))


def _days(n: int) -> list[str]:
    from datetime import date, timedelta

    return [(date(2021, 1, 1) + timedelta(days=d)).isoformat() for d in range(n)]


def _rate(base, paths: list[str], seconds: float, *, expect: int = 200, extra: str = "") -> tuple[int, float]:
    """Answers counted and seconds spent by the client processes hitting ``paths`` for ``seconds``."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=_client, args=(base, paths, seconds, expect, extra, queue))
        for _ in range(CLIENT_PROCESSES)
    ]
    started = time.perf_counter()
    for c in clients:
        c.start()
    total = sum(queue.get() for _ in clients)
    for c in clients:
        c.join()
    return total, max(time.perf_counter() - started, seconds)
