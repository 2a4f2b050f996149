"""What a whole-selection export costs at scale: time, size and the web worker's memory.

``make bench-exports`` (SCALE=100000): on the benchmark database of that scale (built by
``bench/run.py``'s ``ensure_database`` if missing) one gunicorn worker with production
settings serves, and each export is fetched once, whole, by a token holder (anonymous
clients are refused beyond ``EXPORT_ANON_MAX_ROWS``; that refusal is timed too). The
worker's peak resident memory (``VmHWM``) is read before and after, so an export that
held its rows in memory would show as growth proportional to the rows. Writes
bench/exports.json and bench/exports.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from run import APP_PORT, BENCH, ROOT, app_env, ensure_database, log, manage, wait_for

EXPORTS = {
    "transfers_csv": "/api/transfers/?format=csv",
    "transfers_ris": "/api/transfers/?format=ris",
    "transfers_bibtex": "/api/transfers/?format=bibtex",
    "timeline_timelinejs": "/api/timeline/?format=timelinejs",
    "timeline_csv": "/api/timeline/?format=csv",
}


def fetch(url: str, token: str | None = None) -> tuple[int, int, float]:
    """(status, bytes, seconds) of one GET, the body read to the end."""
    headers = {"Authorization": f"Token {token}"} if token else {}
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=600) as response:
            size = sum(len(chunk) for chunk in iter(lambda: response.read(1 << 16), b""))
            return response.status, size, time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, len(exc.read()), time.monotonic() - started


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100000)
    args = parser.parse_args()
    scale = args.scale
    ensure_database(scale)
    token = (
        manage(
            scale,
            "shell",
            "-c",
            "from django.contrib.auth.models import User; from rest_framework.authtoken.models import Token; "
            "u, _ = User.objects.get_or_create(username='bench-exports'); "
            "print(Token.objects.get_or_create(user=u)[0].key)",
            capture=True,
        )
        .strip()
        .splitlines()[-1]
    )  # after the shell's own banner lines
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "mtc.wsgi", "-b", f"127.0.0.1:{APP_PORT}", "-w", "1",
               "--timeout", "600", "--access-logfile", "/dev/null", "--error-logfile", "-"]  # fmt: skip
    env = app_env(scale, RESPONSE_CACHE_SECONDS="0")
    master = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{APP_PORT}"
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "exports": {},
    }
    try:
        wait_for(APP_PORT, "/healthz")
        worker = int(subprocess.check_output(["pgrep", "-P", str(master.pid)]).split()[0])
        fetch(f"{base}/api/transfers/?page_size=500", token)  # warm up imports and caches
        results["worker_peak_rss_mb_before"] = round(peak_rss_mb(worker), 1)
        status, _, seconds = fetch(f"{base}/api/transfers/?format=csv")
        results["anonymous_refused"] = {"status": status, "ms": round(seconds * 1000, 1)}
        status, size, seconds = fetch(f"{base}/api/transfers/?format=csv&page_size=500")
        results["anonymous_page_of_500_csv"] = {"status": status, "bytes": size, "ms": round(seconds * 1000, 1)}
        for name, path in EXPORTS.items():
            log(f"export {name} at {scale:,}")
            status, size, seconds = fetch(f"{base}{path}", token)
            results["exports"][name] = {
                "status": status,
                "megabytes": round(size / 1e6, 1),
                "seconds": round(seconds, 2),
                "worker_peak_rss_mb": round(peak_rss_mb(worker), 1),
            }
    finally:
        os.killpg(master.pid, signal.SIGTERM)
        master.wait(timeout=30)
    (BENCH / "exports.json").write_text(json.dumps(results, indent=2) + "\n")
    (BENCH / "exports.md").write_text(markdown(results))
    print(markdown(results))


def markdown(results: dict) -> str:
    lines = [
        f"Exports at {results['scale']:,} transfers ({results['date']}), one gunicorn worker, fetched whole by a "
        f"token holder. Worker peak RSS before: {results['worker_peak_rss_mb_before']} MB.",
        "",
        "| export | status | size (MB) | time (s) | worker peak RSS after (MB) |",
        "|---|---|---|---|---|",
    ]
    for name, row in results["exports"].items():
        cells = [name, row["status"], row["megabytes"], row["seconds"], row["worker_peak_rss_mb"]]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    refused, page = results["anonymous_refused"], results["anonymous_page_of_500_csv"]
    lines += [
        "",
        f"Anonymous whole-list CSV: {refused['status']} in {refused['ms']} ms; "
        f"anonymous CSV page of 500: {page['status']} in {page['ms']} ms.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
