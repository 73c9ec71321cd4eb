"""Per-stage time of a Spark job from its event log (a benchmark helper).

Usage: python bench/stage_times.py EVENT_LOG (a file, or a Spark 4 eventlog_v2_… folder)

Prints one line per completed stage: its id, the job's phase (the
description `backfill.run` gives its jobs), its name, tasks, the sum of its
tasks' run time (executor wall time, Python workers included) and of their
JVM CPU time (the JVM's threads only: time spent in the Python workers,
where rasd's Rust code runs, is not in it), then sums per phase and the
totals. Run the job
with `--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=…`
(e.g. through PYSPARK_SUBMIT_ARGS) to get a log.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from collections import defaultdict


def main(path: str) -> None:
    run_ms = defaultdict(int)
    cpu_ns = defaultdict(int)
    tasks = defaultdict(int)
    names = {}
    phase_of = {}
    # Spark 4 writes a folder of rolled files (`eventlog_v2_…/events_N_…`).
    files = sorted(Path(path).glob("events_*"), key=lambda f: int(f.name.split("_")[1])) if Path(path).is_dir() else [Path(path)]
    for f in files:
        # Spark compresses its event logs with zstd by default.
        text = (subprocess.run(["zstd", "-dc", str(f)], capture_output=True, check=True).stdout.decode("utf-8")
                if f.suffix == ".zstd" else f.read_text(encoding="utf-8"))
        for line in text.splitlines():
            event = json.loads(line)
            kind = event.get("Event")
            if kind == "SparkListenerTaskEnd":
                stage = event["Stage ID"]
                metrics = event.get("Task Metrics") or {}
                run_ms[stage] += metrics.get("Executor Run Time", 0)
                cpu_ns[stage] += metrics.get("Executor CPU Time", 0)
                tasks[stage] += 1
            elif kind == "SparkListenerJobStart":
                description = (event.get("Properties") or {}).get("spark.job.description") or "-"
                for stage in event.get("Stage IDs", []):
                    phase_of.setdefault(stage, description)
            elif kind == "SparkListenerStageCompleted":
                info = event["Stage Info"]
                names[info["Stage ID"]] = info["Stage Name"].split(" at ")[0]
    print(f"{'stage':>5}  {'tasks':>5}  {'run s':>8}  {'jvm cpu s':>9}  phase / name")
    for stage in sorted(tasks):
        print(f"{stage:>5}  {tasks[stage]:>5}  {run_ms[stage] / 1e3:>8.1f}  {cpu_ns[stage] / 1e9:>9.1f}  "
              f"{phase_of.get(stage, '-')} / {names.get(stage, '?')}")
    by_phase = defaultdict(lambda: [0, 0])
    for stage in tasks:
        by_phase[phase_of.get(stage, "-")][0] += run_ms[stage]
        by_phase[phase_of.get(stage, "-")][1] += cpu_ns[stage]
    for phase, (ms, ns) in by_phase.items():
        print(f"{'phase':>5}  {'':>5}  {ms / 1e3:>8.1f}  {ns / 1e9:>9.1f}  {phase}")
    print(f"{'all':>5}  {sum(tasks.values()):>5}  {sum(run_ms.values()) / 1e3:>8.1f}  {sum(cpu_ns.values()) / 1e9:>9.1f}")


if __name__ == "__main__":
    main(sys.argv[1])
