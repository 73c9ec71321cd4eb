"""A two-process Spark standalone cluster on loopback for the tests: one
master and workers started with `spark-class` from the pyspark package, on
free ports, in temp folders, each in its own process group so that a test
can kill a worker with its executors (a lost node) and the fixture can stop
everything at the end."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import List, Optional

# How long a master or worker may take to come up on a loaded 2-core machine.
START_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_class() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-class"


class Standalone:
    """A master and its workers; `stop()` kills them all."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.ui_port = free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.workers: List[subprocess.Popen] = []
        self.env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", SPARK_LOG_DIR=str(root / "logs"),
                        SPARK_NO_DAEMONIZE="1", PYSPARK_PYTHON=sys.executable)
        self.master = self._start("master", "org.apache.spark.deploy.master.Master",
                                  "--host", "127.0.0.1", "--port", str(self.port),
                                  "--webui-port", str(self.ui_port))
        self._wait(lambda state: True, "the master")

    def _start(self, name: str, cls: str, *args: str) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "ab")
        return subprocess.Popen([str(spark_class()), cls, *args], env=self.env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def state(self) -> Optional[dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ui_port}/json/", timeout=5) as r:
                return json.load(r)
        except OSError:
            return None

    def _wait(self, ready, what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            state = self.state()
            if state is not None and ready(state):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{what} did not come up in {START_TIMEOUT_S} s; logs in {self.root}")

    def alive_workers(self) -> int:
        state = self.state() or {}
        return sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE")

    def add_worker(self, cores: int = 2) -> subprocess.Popen:
        index = len(self.workers)
        work = self.root / f"work{index}"
        work.mkdir()
        before = self.alive_workers()
        worker = self._start(f"worker{index}", "org.apache.spark.deploy.worker.Worker", self.url,
                             "--host", "127.0.0.1", "--cores", str(cores), "--memory", "2g",
                             "--work-dir", str(work), "--webui-port", str(free_port()))
        self.workers.append(worker)
        self._wait(lambda s: self.alive_workers() > before, f"worker {index}")
        return worker

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL to the process group: the process and all it started."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def stop(self) -> None:
        for p in [*self.workers, self.master]:
            self.kill(p)
