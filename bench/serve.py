"""Benchmark: the web app serving a national-scale release to concurrent clients on localhost.

Loads a computed release folder into a fresh SQLite database (`jobmaal load`, timed), starts
`jobmaal serve` (gunicorn, a process per core) on a free 127.0.0.1 port, and lets CLIENTS
threads, each with its own keep-alive connection, request:

  municipality page, cold   the first request of each of the 98 municipalities (page data built)
  municipality page, warm   random municipalities again (page data from the cache)
  ... 1 client              the same, one request at a time (service time without queueing)
  facts API (and 1 client)  /api/facts?indicator=MM13&area_level=kommune&area_code=<code>&breakdown=i_alt
  overview                  the national overview page

It prints p50/p95/max latency and requests/s of each, and, when the cold municipality page misses
its aim, a cProfile of `jobmaal.web.dashboards.municipality` for one municipality. Prints, never
asserts. Aims: p95 < 150 ms for the pages, < 50 ms for the API.

    .venv/bin/python bench/serve.py --release /tmp/release-2023   # a computed OUT folder
    .venv/bin/python bench/serve.py --scale 0.1                    # generate and compute one first
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import os
import pstats
import queue
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

JOBMAAL = Path(sys.executable).with_name("jobmaal")
PAGE_AIM_MS = 150
API_AIM_MS = 50
START_TIMEOUT = 120


@dataclass
class Phase:
    name: str
    latencies: list[float]  # seconds
    errors: list[str]
    wall: float  # seconds for the whole phase
    size: int  # bytes of the largest response body

    def line(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        if not ms:
            return f"{self.name:<28} no successful requests; {len(self.errors)} errors"
        p95 = ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)]
        text = (f"{self.name:<28}{len(ms):>6}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  "
                f"max {ms[-1]:7.1f} ms  {len(ms) / self.wall:7.1f} req/s  {self.size / 1024:6.0f} kB")
        if self.errors:
            text += f"  ({len(self.errors)} errors, e.g. {self.errors[0]})"
        return text

    def p95_ms(self) -> float:
        ms = sorted(x * 1000 for x in self.latencies)
        return ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)] if ms else float("inf")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_phase(name: str, port: int, paths: list[str], clients: int) -> Phase:
    """Send every path once, `clients` threads at a time, each over its own keep-alive connection."""
    work: queue.Queue[str] = queue.Queue()
    for path in paths:
        work.put(path)
    latencies: list[float] = []
    errors: list[str] = []
    sizes = [0]
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            try:
                path = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    sizes[0] = max(sizes[0], len(body))
                    if response.status == 200:
                        latencies.append(elapsed)
                    else:
                        errors.append(f"{response.status} {path}")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__} {path}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Phase(name, latencies, errors, time.perf_counter() - started, sizes[0])


def _wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"jobmaal serve stopped ({server.returncode}):\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"jobmaal serve did not start within {START_TIMEOUT} s:\n{log.read_text()}")


def _make_release(folder: Path, scale: float, seed: int) -> Path:
    registers, release = folder / "registers", folder / "release-2023"
    for args in (["synth", "--scale", str(scale), "--seed", str(seed), "--out", str(registers)],
                 ["compute", "--registers", str(registers), "--year", "2023", "--out", str(release)]):
        started = time.perf_counter()
        subprocess.run([str(JOBMAAL), *args], check=True, stdout=subprocess.DEVNULL)
        print(f"jobmaal {args[0]}: {time.perf_counter() - started:.1f} s")
    return release


def _profile_municipality(data_dir: Path, codes: list[int]) -> None:
    """cProfile of the page data of one municipality, in this process against the loaded database.

    The first call in a process also builds what all municipality pages share; it is timed
    separately, then a second municipality is profiled (the cost every cold page pays)."""
    os.environ["JOBMAAL_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    from jobmaal.cli_django import setup_django

    setup_django()
    from jobmaal.web import dashboards
    from jobmaal.web.queries import active_release

    release = active_release(2023)
    period = dashboards.default_period(release)
    started = time.perf_counter()
    dashboards.municipality(release, codes[0], period)
    print(f"\nfirst municipality in a fresh process ({codes[0]}): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    dashboards.municipality(release, codes[1], period)
    profiler.disable()
    print(f"next municipality ({codes[1]}): {(time.perf_counter() - started) * 1000:.0f} ms; "
          "top functions by cumulative time:")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print("by own time:\n" + out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", type=Path, help="a computed OUT folder (default: generate one)")
    parser.add_argument("--scale", type=float, default=1.0, help="scale when generating (1.0 = Denmark)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="requests per warm endpoint")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument("--warm-wait", type=float, default=0.0,
                        help="seconds to let the server warm its pages before measuring")
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                        help="profile one cold municipality page (auto: when it misses its aim)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jobmaal-bench-serve-"))
    server = None
    try:
        release = args.release or _make_release(tmp, args.scale, args.seed)
        if not (release / "facts.parquet").exists():
            sys.exit(f"{release} has no facts.parquet")
        if not (release / "framework.parquet").exists():
            print(f"note: {release} has no framework.parquet (no peers or expected level); "
                  "recompute it with `jobmaal compute` for a full page")
        data_dir = tmp / "data"
        env = {**os.environ, "JOBMAAL_DATA_DIR": str(data_dir), "PYTHONWARNINGS": "ignore"}
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)

        started = time.perf_counter()
        subprocess.run([str(JOBMAAL), "load", str(release), "--publish"], env=env, check=True)
        print(f"load (jobmaal load, incl. start-up and migrations): {time.perf_counter() - started:.1f} s")

        port = _free_port()
        log = tmp / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen([str(JOBMAAL), "serve", "--host", "127.0.0.1", "--port", str(port),
                                       "--threads", str(args.threads),
                                       "--workers", str(args.workers)],
                                      env=env, stdout=out, stderr=subprocess.STDOUT)
        _wait_until_up(port, server, log)
        time.sleep(args.warm_wait)

        from jobmaal.geography import load_geography

        codes = [m.code for m in load_geography().municipalities]
        rng = random.Random(args.seed)
        first = _run_phase("overview, first request", port, ["/"], 1)
        cold = rng.sample(codes, len(codes))
        phases = [
            first,
            _run_phase("municipality page, cold", port, [f"/kommune/{c}/" for c in cold], args.clients),
            _run_phase("municipality page, warm", port,
                       [f"/kommune/{rng.choice(codes)}/" for _ in range(args.requests)], args.clients),
            _run_phase("municipality page, 1 client", port,
                       [f"/kommune/{rng.choice(codes)}/" for _ in range(args.requests // 10)], 1),
            _run_phase("facts API", port,
                       [f"/api/facts?indicator=MM13&area_level=kommune&area_code={rng.choice(codes)}"
                        "&breakdown=i_alt" for _ in range(args.requests)], args.clients),
            _run_phase("facts API, 1 client", port,
                       [f"/api/facts?indicator=MM13&area_level=kommune&area_code={rng.choice(codes)}"
                        "&breakdown=i_alt" for _ in range(args.requests // 10)], 1),
            _run_phase("overview", port, ["/"] * args.requests, args.clients),
        ]
        print(f"\n{args.clients} clients, {args.workers} processes × {args.threads} threads, "
              f"{os.cpu_count()} CPUs, warm-up wait {args.warm_wait:g} s; "
              f"release {release}")
        for phase in phases:
            print(phase.line())
        print(f"aims: pages p95 < {PAGE_AIM_MS} ms, API p95 < {API_AIM_MS} ms")
        server.terminate()
        server.wait(timeout=10)
        server = None

        if args.profile == "always" or (args.profile == "auto" and phases[1].p95_ms() >= PAGE_AIM_MS):
            _profile_municipality(data_dir, cold[:2])
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
