"""Benchmark MTC Timeline against Datasette and the static-file limit, side by side.

Run by ``make bench`` (see README "Benchmarks"). In one run, on PostgreSQL:

1. builds a knowledge base per scale (the report + ``generate_synthetic``), reused
   across runs when it is already there;
2. serves it with gunicorn (one worker per core, production settings) and measures with
   wrk on loopback: the transfer list, a detail, the timeline, a text search (the
   list's ``q``, the search page and its JSON twin, all on the one search index), a
   weapon system's page, a record page (its "same system" list) and the home page;
   the search, system and record pages again at the largest scale; Datasette
   serving the same rows exported to SQLite (list, detail, FTS search); and a static
   file with our list response's exact bytes served by the same gunicorn + WhiteNoise
   stack;
3. times the statistics rebuild against one raw ``GROUPING SETS`` statement computing
   the same aggregates, at every scale;
4. counts SQL queries per request at every scale;
5. writes bench/results.json, bench/results.md and bench/chart.svg.

Absolute numbers drift on a shared machine; only the ratios, measured in the same run
with the same wrk settings, are compared.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import cold

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
PY = ROOT / ".venv" / "bin" / "python"
BENCH_VENV = ROOT / ".venv-bench"
PG = "postgres://postgres@127.0.0.1:5432"
APP_PORT, DS_PORT = 8301, 8302
WRK = {"threads": 2, "connections": 16, "duration": "8s", "warmup": "2s"}
SECRET = "bench-" + "x7Kq9" * 12


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(scale: int) -> str:
    return f"{PG}/mtc_bench_{scale}"


def app_env(scale: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="mtc.settings.production",
        DATABASE_URL=database_url(scale),
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        API_ANON_RATE="100000000/second",
        LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


def manage(scale: int, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(PY), "manage.py", *args], cwd=ROOT, env=app_env(scale), check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-At", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def ensure_database(scale: int) -> None:
    name = f"mtc_bench_{scale}"
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        psql(f"CREATE DATABASE {name}")
    manage(scale, "migrate", "--noinput", "-v0")
    have = psql("SELECT count(*) FROM transfers_transfer WHERE slug LIKE 'syn-%'", name)
    if int(have or 0) == scale:
        log(f"{scale:,} transfers already in {name}")
        # A migration that changes how the index reads text empties it; ``migrate``
        # rebuilds it only up to 50,000 events (search.index.MIGRATE_INDEX_LIMIT).
        if psql("SELECT count(*) FROM ground_searchentry", name) == "0":
            log(f"rebuilding the search index of {name}")
            manage(scale, "rebuild_search_index")
            psql("VACUUM ANALYZE ground_searchentry", name)
        keep_common_searches(scale)
        keep_stored_rows(scale)
        return
    log(f"building {name}: report + {scale:,} synthetic transfers")
    psql("DELETE FROM sources_citation; DELETE FROM transfers_transfer; DELETE FROM periods_event;", name)
    manage(scale, "load_report")
    manage(scale, "generate_synthetic", "--transfers", str(scale))
    keep_stored_rows(scale)
    psql("VACUUM ANALYZE", name)
    keep_common_searches(scale)


def keep_stored_rows(scale: int) -> None:
    """What the worker does after each write (``ground.stored_rows``): the bench writes
    directly, and ``migrate`` empties the stored API rows (a release may write them
    differently). Builds only what is missing."""
    log(manage(scale, "rebuild_stored_rows", "--missing", capture=True).strip())


def keep_common_searches(scale: int) -> None:
    """What the worker does after each write (``search.common_words``): the bench writes
    directly (``generate_synthetic`` bypasses the change listeners) and runs no worker.
    Nothing when already done for the database's data version."""
    log(manage(scale, "refresh_common_searches", capture=True).strip())


def wait_for(port: int, path: str = "/", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read()
            return
        except Exception:  # noqa: BLE001 - a benchmark target that fails is reported, not fatal
            time.sleep(0.3)
    raise RuntimeError(f"nothing answered on port {port} within {timeout}s")


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str], probe: str = "/"):
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(port, probe)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def gunicorn(scale: int, **extra_env: str):
    workers = str(os.cpu_count() or 2)
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "mtc.wsgi",
        "-b",
        f"127.0.0.1:{APP_PORT}",
        "-w",
        workers,
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        "-",
    ]
    return serving(command, APP_PORT, app_env(scale, **extra_env), "/healthz")


def wrk(url: str) -> dict[str, float]:
    """Requests per second and p50/p99 latency (ms), the median of two runs.

    A short run first, not counted, for every target alike: each server process fills
    its own caches (our per-process response cache, Datasette's SQLite page cache), so
    the measured runs see the steady state rather than the first misses.
    """
    _run_wrk(url, WRK["warmup"])
    runs = []
    for _ in range(2):
        out = _run_wrk(url, WRK["duration"])
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if non2xx:
            raise RuntimeError(f"{url}: {non2xx.group(1)} non-2xx responses\n{out}")
        runs.append(
            {
                "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
                "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
            }
        )
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def _run_wrk(url: str, duration: str) -> str:
    """wrk's report of one run with the benchmark's threads and connections."""
    command = ["wrk", "-t", str(WRK["threads"]), "-c", str(WRK["connections"]), "-d", duration, "--latency", url]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def export_for_datasette(scale: int) -> Path:
    """The same transfer rows, as Datasette users publish them: SQLite + an FTS index.

    The FTS table names its content table in quotes (``content="transfers"``), the form
    Datasette looks for when it decides a table is searchable: unquoted, ``_search=`` is
    silently ignored and Datasette answers its unfiltered list.
    """
    DATA.mkdir(parents=True, exist_ok=True)
    target = DATA / f"fts-quoted-{scale}" / "db.db"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"exporting {scale:,}-scale transfers to SQLite for Datasette")
    sql = (
        "COPY (SELECT t.id, t.slug, t.designation, t.description, t.category, s.name, r.name, t.direction, p.slug,"
        " t.year_ordered, t.delivery_years, t.number_ordered, t.number_delivered, t.value_usd::text, t.status,"
        " t.date_text, t.date_start::text, t.date_end::text, t.notes FROM transfers_transfer t"
        " JOIN periods_actor s ON s.id = t.supplier_id JOIN periods_actor r ON r.id = t.recipient_id"
        " JOIN periods_period p ON p.id = t.period_id ORDER BY t.id) TO STDOUT WITH (FORMAT csv)"
    )
    dump = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", f"mtc_bench_{scale}", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    import csv
    import io

    rows = list(csv.reader(io.StringIO(dump)))
    tmp = target.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(
        """
        CREATE TABLE transfers (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, designation TEXT, description TEXT,
          category TEXT, supplier TEXT, recipient TEXT, direction TEXT, period TEXT, year_ordered INTEGER,
          delivery_years TEXT, number_ordered INTEGER, number_delivered INTEGER, value_usd INTEGER, status TEXT,
          date TEXT, date_start TEXT, date_end TEXT, notes TEXT);
        """
    )
    db.executemany(
        "INSERT INTO transfers VALUES (" + ",".join("?" * 19) + ")",
        ([v if v != "" else None for v in row] for row in rows),
    )
    db.executescript(
        """
        CREATE INDEX transfers_period_category ON transfers (period, category);
        CREATE VIRTUAL TABLE transfers_fts USING fts5 (designation, description, notes, content="transfers",
          content_rowid=id);
        INSERT INTO transfers_fts (rowid, designation, description, notes)
          SELECT id, designation, description, notes FROM transfers;
        """
    )
    db.commit()
    db.close()
    tmp.rename(target)
    return target


def datasette(db_path: Path):
    command = [
        str(BENCH_VENV / "bin" / "datasette"),
        "serve",
        str(db_path),
        "-p",
        str(DS_PORT),
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "sql_time_limit_ms",
        "20000",
    ]
    return serving(command, DS_PORT, dict(os.environ), "/db.json")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def write_static_copy(body: bytes) -> str:
    """Our list response's exact bytes, as a file WhiteNoise serves from STATIC_ROOT."""
    relative = "bench/transfers-list.json"
    path = ROOT / "build" / "staticfiles" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return f"/static/{relative}"


def in_django(scale: int, task: str, payload: dict) -> dict:
    """Run ``task`` in a child process with Django set up on the scale's database.

    The response cache is off there: query counts are those of an uncached request.
    """
    result = subprocess.run(
        [str(PY), str(Path(__file__)), "--child", task, json.dumps(payload)],
        cwd=ROOT,
        env=app_env(scale, RESPONSE_CACHE_SECONDS="0"),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"{task} at {scale:,} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def child(task: str, payload: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if task == "queries":
        client, counts, server_ms = Client(HTTP_HOST="127.0.0.1"), {}, {}
        for name, path in payload["paths"].items():
            client.get(path)  # warm caches of compiled templates etc.
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            counts[name] = len(queries)
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            server_ms[name] = round(statistics.median(timings), 2)
            if name == payload.get("save_body_of"):
                Path(payload["body_path"]).write_bytes(response.content)
        return {"queries": counts, "server_ms": server_ms}
    if task == "rebuild":
        return _time_rebuild(payload["repeat"])
    raise SystemExit(f"unknown task {task}")


# The same aggregates as the rebuild (records per period / year / overall by each
# dimension, and citation coverage), written as plain SQL over the raw tables in one
# statement: the baseline "one GROUPING SETS query" of the benchmark.
GROUPING_SETS_SQL = """
WITH t AS (SELECT period_id, EXTRACT(YEAR FROM date_start)::int AS year, direction, category, status,
                  value_usd, number_ordered, number_delivered FROM transfers_transfer),
     p AS (SELECT period_id, EXTRACT(YEAR FROM date_start)::int AS year, status FROM transfers_project),
     e AS (SELECT period_id, EXTRACT(YEAR FROM date_start)::int AS year, kind FROM periods_event)
(SELECT 'transfers', period_id, year, direction, category, status, count(*), sum(value_usd), count(value_usd),
        sum(number_ordered), sum(number_delivered)
   FROM t GROUP BY GROUPING SETS ((), (period_id), (year), (direction), (category), (status),
        (period_id, direction), (period_id, category), (period_id, status),
        (year, direction), (year, category), (year, status)))
UNION ALL
(SELECT 'projects', period_id, year, NULL, NULL, status, count(*), NULL, NULL, NULL, NULL
   FROM p GROUP BY GROUPING SETS ((), (period_id), (year), (status), (period_id, status), (year, status)))
UNION ALL
(SELECT 'events', period_id, year, NULL, kind, NULL, count(*), NULL, NULL, NULL, NULL
   FROM e GROUP BY GROUPING SETS ((), (period_id), (year), (kind), (period_id, kind), (year, kind)))
UNION ALL
(SELECT 'records per endnote', NULL, NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL
   FROM sources_citation GROUP BY endnote_id)
UNION ALL
(SELECT 'endnotes per source', NULL, NULL, NULL, NULL, NULL, count(DISTINCT endnote_id), NULL, NULL, NULL, NULL
   FROM sources_endnotework GROUP BY source_id)
UNION ALL
(SELECT 'transfers without citations', NULL, NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL
   FROM transfers_transfer x WHERE NOT EXISTS (
     SELECT 1 FROM sources_citation c JOIN django_content_type ct ON ct.id = c.content_type_id
      WHERE ct.app_label = 'transfers' AND ct.model = 'transfer' AND c.object_id = x.id))
"""


def _time_rebuild(repeat: int) -> dict:
    from django.db import connection

    from aggregates import statistics as stats

    ours, raw = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        stats.rebuild(force=True)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(GROUPING_SETS_SQL)
            cursor.fetchall()
        raw.append(time.perf_counter() - started)
    return {"rebuild_s": statistics.median(ours), "grouping_sets_s": statistics.median(raw)}


def sample(scale: int) -> dict[str, str]:
    name = f"mtc_bench_{scale}"
    period, category = psql(
        "SELECT p.slug, t.category FROM transfers_transfer t JOIN periods_period p ON p.id = t.period_id"
        " WHERE t.slug LIKE 'syn-%' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1",
        name,
    ).split("|")
    middle = psql(f"SELECT slug, id FROM transfers_transfer WHERE slug = 'syn-t-{scale // 2}'", name).split("|")
    return {"period": period, "category": category, "slug": middle[0], "id": middle[1], "word": "helicopter"}


def our_paths(s: dict[str, str]) -> dict[str, str]:
    return {
        "api_list": f"/api/transfers/?period={s['period']}&category={s['category']}&page_size=50",
        "api_detail": f"/api/transfers/{s['slug']}/",
        "api_timeline": "/api/timeline/?page_size=50",
        "api_search": f"/api/transfers/?q={s['word']}&page_size=50",
        "home": "/",
        # The one search index: the page (ranked, facets, snippets), its JSON twin, a
        # system's page (its records through the link table) and a record page whose
        # "same system" list follows the links.
        "search_page": f"/search/?q={s['word']}",
        "api_search_all": f"/api/search/?q={s['word']}",
        "system_page": "/systems/s-400/",
        "record_page": f"/transfers/{s['slug']}/",
    }


def datasette_paths(s: dict[str, str]) -> dict[str, str]:
    return {
        "api_list": f"/db/transfers.json?period={s['period']}&category={s['category']}&_size=50",
        "api_detail": f"/db/transfers/{s['id']}.json",
        "api_search": f"/db/transfers.json?_search={s['word']}&_size=50",
    }


def measure_app(scale: int, paths: dict[str, str], names: list[str], static_path: str | None = None) -> dict:
    """wrk figures for ``names`` as deployed (response cache on), then the list uncached.

    The uncached list is what a cache miss costs (the first request after a write, or
    every request of a deployment that turns the cache off): its ratio across scales
    shows whether counting and paging grow with the table.
    """
    figures = {}
    with gunicorn(scale):
        for name in names:
            log(f"wrk {name} at {scale:,}")
            figures[name] = wrk(f"http://127.0.0.1:{APP_PORT}{paths[name]}")
        if static_path:
            log("wrk static copy of the list response")
            figures["static_list"] = wrk(f"http://127.0.0.1:{APP_PORT}{static_path}")
    with gunicorn(scale, RESPONSE_CACHE_SECONDS="0"):
        log(f"wrk api_list uncached at {scale:,}")
        figures["api_list_uncached"] = wrk(f"http://127.0.0.1:{APP_PORT}{paths['api_list']}")
    return figures


COLD_GOALS = {
    "api_list_filtered": 2.0,
    "api_search": 2.0,
    "html_search": 2.0,
    "home_filtered": 2.0,
    "api_list_any_depth": 1.0,
    "api_detail": 1.0,
    "record_page": 1.0,
}
SYSTEM_PAGE_ROUNDS = 30


def measure_cold(scale: int) -> dict:
    """The cold mix at ``scale`` (see cold.py): ours and Datasette on the same distinct
    URLs, the largest worker's RSS after our runs, and search hit counts side by side.

    Both servers run at once (the one not measured is idle) and each path is measured
    side by side in four runs, A B B A: ours on the first half of its URLs, Datasette on
    the first half of its own, Datasette on the second half, ours on the second. The
    machine is shared and its speed drifts; measuring all our paths and then all of
    Datasette's put minutes between the two figures of a ratio (the same API details
    ran at 380 and 507 requests/s a minute apart), and A B B A cancels a drift that is
    steady across a path's four runs.
    """
    sets = cold.url_sets(cold.Sample(lambda sql: psql(sql, f"mtc_bench_{scale}")))
    work = DATA / f"cold-{scale}"
    ours, theirs = {}, {}
    ours_base, ds_base = f"http://127.0.0.1:{APP_PORT}", f"http://127.0.0.1:{DS_PORT}"
    with gunicorn(scale) as server, datasette(export_for_datasette(scale)):
        for name, pairs in sets.items():
            if name == "system_page":
                continue
            log(f"cold {name} at {scale:,}: {len(pairs):,} distinct URLs, ours and Datasette A B B A")
            half = len(pairs) // 2
            halves = {
                "ours": ([o for o, _ in pairs[:half]], [o for o, _ in pairs[half:]]),
                "datasette": ([t for _, t in pairs[:half]], [t for _, t in pairs[half:]]),
            }
            runs: dict[str, list[dict]] = {"ours": [], "datasette": []}
            for who, part in (("ours", 0), ("datasette", 0), ("datasette", 1), ("ours", 1)):
                base, probe, parallel = (
                    (ours_base, "/healthz", os.cpu_count() or 2) if who == "ours" else (ds_base, "/-/versions.json", 1)
                )
                runs[who].append(cold.run_wrk(base, halves[who][part], work, f"{who}-{name}-{part}", cap=cold.HALF_CAP))
                runs[who][-1]["drained_s"] = round(cold.drain(base, probe, parallel=parallel), 1)
            ours[name], theirs[name] = cold.combined(runs["ours"]), cold.combined(runs["datasette"])
        rss = cold.worker_rss_mb(server.pid)
        hits = search_hits(["helicopter", "Fighter-12", "radar", "Sonar-7", "interceptor"])
    # Thirteen systems, so thirteen URLs: sent in rounds with the response cache off.
    with gunicorn(scale, RESPONSE_CACHE_SECONDS="0") as server:
        log(f"system pages at {scale:,}, cache off")
        paths = [o for o, _ in sets["system_page"]] * SYSTEM_PAGE_ROUNDS
        ours["system_page"] = cold.run_wrk(ours_base, paths, work, "ours-system_page")
        rss = max(rss, cold.worker_rss_mb(server.pid))
    ratios = {name: ours[name]["rps"] / theirs[name]["rps"] for name in theirs}
    return {"ours": ours, "datasette": theirs, "ratios": ratios, "worker_rss_mb": rss, "search_hits": hits}


def search_hits(terms: list[str]) -> dict[str, dict[str, int]]:
    """How many transfers each term finds here and in Datasette's FTS: the two searches
    must be searching (a Datasette that ignores ``_search=`` answers every row)."""
    hits = {}
    for term in terms:
        # page=last: a searched list counts past 1,500 only when asked for its last page.
        ours = json.loads(fetch(f"http://127.0.0.1:{APP_PORT}/api/transfers/?q={term}&page_size=1&page=last"))
        theirs = json.loads(fetch(f"http://127.0.0.1:{DS_PORT}/db/transfers.json?_search={term}&_size=1"))
        hits[term] = {"ours": ours["count"], "datasette": theirs["filtered_table_rows_count"]}
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,100000,1000000", help="transfer counts, comma-separated")
    parser.add_argument("--primary", type=int, default=100000, help="scale compared with Datasette and static")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--skip-cached", action="store_true", help="only the cold mix (no one-URL wrk runs)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], json.loads(args.child[1]))))
        return

    scales = sorted(int(s) for s in args.scales.split(","))
    DATA.mkdir(parents=True, exist_ok=True)
    largest = scales[-1]
    for scale in scales:
        ensure_database(scale)
    manage(args.primary, "collectstatic", "--noinput", "-v0")
    results: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · {platform.python_version()}",
        "scales": scales,
        "primary_scale": args.primary,
        "wrk": WRK,
        "app": {},
        "datasette": {},
        "queries": {},
        "uncached_server_ms": {},
        "rebuild": {},
        "cold": {},
    }
    for scale in scales:
        s = sample(scale)
        paths = our_paths(s)
        body_path = DATA / f"list_{scale}.json"
        log(f"query counts and uncached server time at {scale:,}")
        # Page 500 of the home timeline beside page 1: what a deep page costs uncached.
        payload = {"paths": {**paths, "home_page_500": "/?page=500"}, "save_body_of": "api_list"}
        uncached = in_django(scale, "queries", {**payload, "body_path": str(body_path)})
        results["queries"][str(scale)] = uncached["queries"]
        results["uncached_server_ms"][str(scale)] = uncached["server_ms"]
        log(f"statistics rebuild vs GROUPING SETS at {scale:,}")
        results["rebuild"][str(scale)] = in_django(scale, "rebuild", {"repeat": 3})
        results["cold"][str(scale)] = measure_cold(scale)
        if args.skip_cached:
            continue
        if scale == args.primary:
            static_path = write_static_copy(body_path.read_bytes())
            results["app"][str(scale)] = measure_app(scale, paths, list(paths), static_path)
            with datasette(export_for_datasette(scale)):
                for name, path in datasette_paths(s).items():
                    log(f"wrk datasette {name}")
                    results["datasette"][name] = wrk(f"http://127.0.0.1:{DS_PORT}{path}")
        elif scale == largest:
            results["app"][str(scale)] = measure_app(
                scale, paths, ["api_list", "home", "api_search", "search_page", "system_page", "record_page"]
            )

    results["ratios"] = {} if args.skip_cached else cached_ratios(results, args.primary, largest)
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (BENCH / "results.md").write_text(markdown(results))
    (BENCH / "chart.svg").write_text(chart(results))
    log("wrote bench/results.json, bench/results.md, bench/chart.svg")
    print(markdown(results))


GOALS = {
    "api_list_vs_datasette": (">=", 3.0),
    "api_detail_vs_datasette": (">=", 3.0),
    "api_search_vs_datasette": (">=", 1.5),
    "api_list_vs_static": (">=", 0.5),
    "api_list_1m_vs_100k": (">=", 0.8),
    "rebuild_vs_grouping_sets": ("<=", 1.5),
}


def cached_ratios(results: dict, primary: int, largest: int) -> dict[str, float]:
    """Ratios of the one-URL runs (after the first request, response-cache hits)."""
    app = results["app"][str(primary)]
    ds = results["datasette"]
    rebuild_largest = results["rebuild"][str(largest)]
    return {
        "api_list_vs_datasette": app["api_list"]["rps"] / ds["api_list"]["rps"],
        "api_detail_vs_datasette": app["api_detail"]["rps"] / ds["api_detail"]["rps"],
        "api_search_vs_datasette": app["api_search"]["rps"] / ds["api_search"]["rps"],
        "api_list_vs_static": app["api_list"]["rps"] / app["static_list"]["rps"],
        "api_list_1m_vs_100k": results["app"][str(largest)]["api_list"]["rps"] / app["api_list"]["rps"],
        "api_list_uncached_vs_datasette": app["api_list_uncached"]["rps"] / ds["api_list"]["rps"],
        "api_list_uncached_1m_vs_100k": (
            results["app"][str(largest)]["api_list_uncached"]["rps"] / app["api_list_uncached"]["rps"]
        ),
        "home_1m_vs_100k_p50": results["app"][str(largest)]["home"]["p50_ms"] / app["home"]["p50_ms"],
        "home_uncached_server_1m_vs_100k": (
            results["uncached_server_ms"][str(largest)]["home"] / results["uncached_server_ms"][str(primary)]["home"]
        ),
        "rebuild_vs_grouping_sets": rebuild_largest["rebuild_s"] / rebuild_largest["grouping_sets_s"],
        "search_page_vs_datasette_search": app["search_page"]["rps"] / ds["api_search"]["rps"],
        **{
            f"{name}_1m_vs_100k_p50": results["app"][str(largest)][name]["p50_ms"] / app[name]["p50_ms"]
            for name in ("api_search", "search_page", "system_page", "record_page")
            if largest != primary
        },
        **{
            f"{name}_uncached_server_1m_vs_100k": (
                results["uncached_server_ms"][str(largest)][name] / results["uncached_server_ms"][str(primary)][name]
            )
            for name in ("api_search", "search_page", "system_page", "record_page")
            if largest != primary
        },
    }


def cold_markdown(results: dict) -> list[str]:
    """The cold-mix table: distinct URLs each sent once, ours beside Datasette."""
    lines = [
        f"Cold mix: for each path, {cold.URLS_PER_PATH:,} distinct URLs each sent at most once (wrk, "
        f"{cold.THREADS} threads, {cold.CONNECTIONS} connections; each path side by side in four runs, ours, "
        f"Datasette, Datasette, ours, on halves of its URLs, at most {cold.HALF_CAP} each; req/s over the four "
        "runs' answers and time, p50 the answer-weighted mean of the halves', p99 the larger half's; "
        f"system pages: the 13 systems in rounds, at most {cold.CAP}, response cache off).",
        "",
        "| path | scale | ours req/s | p50 ms | p99 ms | answered | Datasette req/s | p50 ms | p99 ms "
        "| ours ÷ Datasette | goal | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale, run in results["cold"].items():
        for name, ours in run["ours"].items():
            theirs = run["datasette"].get(name)
            ratio = run["ratios"].get(name)
            goal = COLD_GOALS.get(name)
            met = "" if goal is None or ratio is None else ("yes" if ratio >= goal else "**no**")
            ds = f"{theirs['rps']:.0f} | {theirs['p50_ms']:.1f} | {theirs['p99_ms']:.1f}" if theirs else "- | - | -"
            lines.append(
                f"| {name} | {int(scale):,} | {ours['rps']:.1f} | {ours['p50_ms']:.1f} | {ours['p99_ms']:.1f} "
                f"| {ours['answered']:,}/{ours['urls']:,} | {ds} | {f'{ratio:.2f}' if ratio else '-'} "
                f"| {f'>= {goal}' if goal else ''} | {met} |"
            )
    lines += ["", "| scale | largest worker RSS after the runs (MB) | search hits, ours / Datasette |", "|---|---|---|"]
    for scale, run in results["cold"].items():
        hits = ", ".join(f"{t} {h['ours']}/{h['datasette']}" for t, h in run["search_hits"].items())
        lines.append(f"| {int(scale):,} | {run['worker_rss_mb']:.0f} | {hits} |")
    return lines


def markdown(results: dict) -> str:
    lines = [
        f"Benchmark of {results['date']} on {results['machine']}; wrk {results['wrk']}.",
        "",
        *cold_markdown(results),
        "",
        "One URL repeated (after the first request, answers are response-cache hits):",
        "",
        "| ratio | value | goal | met |",
        "|---|---|---|---|",
    ]
    for key, value in results["ratios"].items():
        op, goal = GOALS.get(key, ("", None))
        met = "" if goal is None else ("yes" if (value >= goal if op == ">=" else value <= goal) else "**no**")
        lines.append(f"| {key} | {value:.2f} | {op} {goal if goal is not None else ''} | {met} |")
    lines += ["", "| target | scale | req/s | p50 ms | p99 ms |", "|---|---|---|---|---|"]
    for scale, figures in results["app"].items():
        for name, f in figures.items():
            lines.append(f"| ours {name} | {int(scale):,} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} |")
    for name, f in results["datasette"].items():
        lines.append(
            f"| Datasette {name} | {results['primary_scale']:,} | {f['rps']:.0f} | {f['p50_ms']:.1f} "
            f"| {f['p99_ms']:.1f} |"
        )
    lines += [
        "",
        "| scale | SQL queries per request | uncached server ms (median of 5, in-process) | rebuild s "
        "| GROUPING SETS s |",
        "|---|---|---|---|---|",
    ]
    for scale in results["scales"]:
        q = ", ".join(f"{k} {v}" for k, v in results["queries"][str(scale)].items())
        ms = ", ".join(f"{k} {v:.1f}" for k, v in results["uncached_server_ms"][str(scale)].items())
        r = results["rebuild"][str(scale)]
        lines.append(f"| {scale:,} | {q} | {ms} | {r['rebuild_s']:.3f} | {r['grouping_sets_s']:.3f} |")
    return "\n".join(lines) + "\n"


def chart(results: dict) -> str:
    """Rebuild and GROUPING SETS seconds against scale, log-log, as a small SVG."""
    import math

    scales = results["scales"]
    series = {
        "statistics rebuild": [results["rebuild"][str(s)]["rebuild_s"] for s in scales],
        "one GROUPING SETS query": [results["rebuild"][str(s)]["grouping_sets_s"] for s in scales],
    }
    width, height, pad = 560, 320, 60
    lo = min(min(v) for v in series.values()) / 2
    hi = max(max(v) for v in series.values()) * 2

    def x(scale: int) -> float:
        span = math.log10(scales[-1] / scales[0]) or 1
        return pad + (width - 2 * pad) * math.log10(scale / scales[0]) / span

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * math.log10(value / lo) / math.log10(hi / lo)

    colours = ["#1d4ed8", "#b45309"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="t"><title id="t">Statistics rebuild time against scale</title>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#333"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#333"/>',
    ]
    for s in scales:
        parts.append(f'<text x="{x(s):.0f}" y="{height - pad + 18}" font-size="12" text-anchor="middle">{s:,}</text>')
    parts.append(f'<text x="{width / 2}" y="{height - 12}" font-size="12" text-anchor="middle">transfers</text>')
    parts.append(f'<text x="14" y="{pad - 20}" font-size="12">seconds (log)</text>')
    for i, (label, values) in enumerate(series.items()):
        points = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in zip(scales, values, strict=True))
        parts.append(f'<polyline fill="none" stroke="{colours[i]}" stroke-width="2" points="{points}"/>')
        for s, v in zip(scales, values, strict=True):
            parts.append(f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3" fill="{colours[i]}"/>')
            parts.append(f'<text x="{x(s) + 6:.1f}" y="{y(v) - 6:.1f}" font-size="10">{v:.3f}</text>')
        parts.append(f'<text x="{pad + 10}" y="{pad + 16 * i}" font-size="12" fill="{colours[i]}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    main()
