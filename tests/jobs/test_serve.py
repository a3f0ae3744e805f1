"""`jianfu serve` (what `make demo` runs) starts the web server and a worker beside it; both stop together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _health(url: str):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


@pytest.mark.django_db(transaction=True)
def test_serve_runs_the_web_server_and_a_worker_and_stops_both(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("runs against the SQLite test database file")
    port = _free_port()
    env = {**os.environ, "JIANFU_SQLITE": str(connection.settings_dict["NAME"]), "JIANFU_DEBUG": "0"}
    serve = subprocess.Popen(
        [sys.executable, "-m", "jianfu.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=(tmp_path / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and status != 200:
            time.sleep(0.5)
            status = _health(f"http://127.0.0.1:{port}/healthz")  # 200 needs the worker's heartbeat
        assert status == 200, (tmp_path / "serve.log").read_text()[-2000:]
        children = subprocess.run(
            ["ps", "--ppid", str(serve.pid), "-o", "pid=,args="], capture_output=True, text=True
        ).stdout
        assert "gunicorn" in children and "jianfu.cli worker" in children
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0
        pids = [int(line.split()[0]) for line in children.strip().splitlines()]
        time.sleep(1)
        assert not [
            pid
            for pid in pids
            if os.path.exists(f"/proc/{pid}") and "zombie" not in open(f"/proc/{pid}/status").read()
        ]
    finally:
        if serve.poll() is None:
            serve.kill()
