"""The cold mix: what many readers and API clients send, each URL once.

wrk asking for one URL over and over measures the response cache, not the application:
after the first request every answer is a hit. Here every path is measured on a shuffled
list of at least 2,000 distinct URLs drawn from the data (filters, orderings, pages at
any depth, records, search terms that occur in the rows), each sent once, beside the
equivalent Datasette URLs over the same rows. wrk hands each of its threads its own
slice of the list through a Lua script (below) and stops the thread when the slice is
done; a time cap bounds a slow path, and the number of URLs actually answered is
reported with the figures.
"""

from __future__ import annotations

import random
import re
import subprocess
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

#: Distinct URLs per path and server; wrk stops earlier on a path slower than CAP allows.
URLS_PER_PATH = 2000
PAGE_SIZE = 50
#: Pages numbered in ``next`` links (``ground.pagination.PageNumberWithSize.KEYSET_FROM``
#: rows); past them a client follows ``?after=<the last slug>``.
NUMBERED_PAGES = 1000 // PAGE_SIZE
CAP = "30s"
#: A path is measured in halves, ours and Datasette's interleaved (run.measure_cold).
HALF_CAP = "15s"
THREADS, CONNECTIONS = 2, 16

# wrk runs one Lua state per thread. setup() numbers the threads; init() keeps the
# thread's share of the URL file (line i goes to thread i mod threads); request() sends
# the next URL of the share; response() stops the thread when all but the last MARGIN
# of its share are sent, so the requests its other connections issue before the stop
# takes effect still get URLs of their own: no URL is sent twice. wrk itself always runs
# for its whole -d and divides by it, so each thread notes when it started and when its
# last answer came (CLOCK_MONOTONIC through LuaJIT's FFI) and done() prints the rate
# over that span, with wrk's own latency percentiles and error counts.
LUA = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } cold_timespec;
int clock_gettime(int clk_id, cold_timespec *tp);
]]
local function now_ms()
  local t = ffi.new("cold_timespec")
  ffi.C.clock_gettime(1, t)
  return tonumber(t.tv_sec) * 1000 + tonumber(t.tv_nsec) / 1e6
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local share, sent, margin = {}, 0, 0
function init(args)
  local id, count, i = tonumber(wrk.thread:get("id")), tonumber(args[2]), 0
  margin = tonumber(args[3])
  for line in io.lines(args[1]) do
    if i % count == id - 1 then share[#share + 1] = line end
    i = i + 1
  end
  t_start = now_ms()
  t_end = t_start
end

function request()
  sent = sent + 1
  return wrk.format(nil, share[math.min(sent, #share)])
end

function response(status, headers, body)
  t_end = now_ms()
  if sent >= #share - margin then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local first, last = math.huge, 0
  for _, thread in ipairs(threads) do
    first = math.min(first, thread:get("t_start"))
    last = math.max(last, thread:get("t_end"))
  end
  io.write(string.format("COLD %d %.3f %.3f %.3f %d %d\\n", summary.requests, (last - first) / 1000,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status, summary.errors.timeout))
end
"""


def _page_params(pages: int, rng: random.Random) -> list[tuple[str, str]]:
    page = rng.randint(1, pages)
    return [("page", str(page))] if page > 1 else []


class Sample:
    """What the URLs are drawn from: one scale's data, read once with ``query``."""

    def __init__(self, query: Callable[[str], str], seed: int = 2020):
        def rows(sql: str) -> list[list[str]]:
            return [line.split("|") for line in query(sql).splitlines() if line]

        self.rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
        self.periods = [r[0] for r in rows("SELECT slug FROM periods_period ORDER BY start_year")]
        self.categories = [r[0] for r in rows("SELECT DISTINCT category FROM transfers_transfer ORDER BY 1")]
        self.transfers = rows(f"SELECT slug, id FROM transfers_transfer ORDER BY md5(slug) LIMIT {URLS_PER_PATH * 3}")
        self.count = int(query("SELECT count(*) FROM transfers_transfer"))
        self.max_id = int(query("SELECT max(id) FROM transfers_transfer"))
        # Designations as printed ("Helicopter-42") and the words in them: terms a reader
        # types that occur in the rows, from rare (one designation) to common (one word).
        designations = [r[0] for r in rows("SELECT DISTINCT designation FROM transfers_transfer ORDER BY 1")]
        words = sorted({w.lower() for d in designations for w in re.findall(r"[A-Za-z]{4,}", d)})
        self.terms = designations + words
        self.systems = [r[0] for r in rows("SELECT slug FROM systems_system ORDER BY slug")]
        # The last slug of every API page in the list's own order (PostgreSQL's, nulls last):
        # where a client following ``next`` links continues ``after`` past the first pages.
        self.page_ends = [
            r[0]
            for r in rows(
                "SELECT slug FROM (SELECT slug, row_number() OVER (ORDER BY date_start, date_end, slug) AS n"
                f" FROM transfers_transfer) AS t WHERE n % {PAGE_SIZE} = 0 ORDER BY n"
            )
        ]


def _filters(s: Sample, rng: random.Random) -> list[tuple[str, str]]:
    """A random mix of the list filters both servers have columns for."""
    params = []
    if rng.random() < 0.7:
        params.append(("period", rng.choice(s.periods)))
    if rng.random() < 0.6:
        params.append(("category", rng.choice(s.categories)))
    if rng.random() < 0.4:
        params.append(("direction", rng.choice(["ru-cn", "cn-ru"])))
    return params


ORDERINGS = {
    "": "",
    "date": "date_start",
    "-date": "-date_start",
    "value_usd": "value_usd",
    "designation": "designation",
}


def _distinct(make: Callable[[random.Random], tuple[str, str]], rng: random.Random) -> list[tuple[str, str]]:
    """URL_PER_PATH distinct (ours, Datasette) pairs from ``make``, in a shuffled order."""
    seen: dict[str, str] = {}
    attempts = 0
    wanted = URLS_PER_PATH + 2 * CONNECTIONS  # each half-run's stop margin (see LUA, run.measure_cold), distinct too
    while len(seen) < wanted and attempts < wanted * 50:
        ours, theirs = make(rng)
        seen.setdefault(ours, theirs)
        attempts += 1
    pairs = list(seen.items())
    rng.shuffle(pairs)
    return pairs


def _datasette_order(ordering: str) -> list[tuple[str, str]]:
    column = ORDERINGS[ordering]
    if not column:
        return []
    return [("_sort_desc", column[1:])] if column.startswith("-") else [("_sort", column)]


def url_sets(s: Sample) -> dict[str, list[tuple[str, str | None]]]:
    """Per path: (our URL, the equivalent Datasette URL or None) pairs, all distinct.

    Datasette pages by its ``_next`` keyset token (a row id to continue after), which is
    how a Datasette client reaches page k; ours by ``?page=k`` for the first pages, then by
    ``?after=<slug>`` (the last record of page k - 1), as our ``next`` links do.
    """
    rng = s.rng
    pages_any = max(1, s.count // 50)

    def api_list_filtered(r):
        params, ordering, page = _filters(s, r), r.choice(list(ORDERINGS)), r.randint(1, 5)
        ours = [*params, *([("ordering", ordering)] if ordering else []), ("page_size", "50")]
        ours += [("page", str(page))] if page > 1 else []
        theirs = [*params, *_datasette_order(ordering), ("_size", "50")]
        theirs += [("_next", str(r.randint(1, s.max_id // 2)))] if page > 1 else []
        return f"/api/transfers/?{urlencode(ours)}", f"/db/transfers.json?{urlencode(theirs)}"

    def api_list_any_depth(r):
        page = r.randint(1, pages_any)
        if page > NUMBERED_PAGES:
            ours = [("page_size", "50"), ("after", s.page_ends[page - 2])]
        else:
            ours = [("page_size", "50"), *([("page", str(page))] if page > 1 else [])]
        theirs = [("_size", "50"), *([("_next", str((page - 1) * 50))] if page > 1 else [])]
        return f"/api/transfers/?{urlencode(ours)}", f"/db/transfers.json?{urlencode(theirs)}"

    def api_detail(r):
        slug, pk = r.choice(s.transfers)
        return f"/api/transfers/{slug}/", f"/db/transfers/{pk}.json"

    def api_search(r):
        term, params = r.choice(s.terms), _filters(s, r) if r.random() < 0.3 else []
        ours = [("q", term), *params, ("page_size", "50")]
        theirs = [("_search", term), *params, ("_size", "50")]
        return f"/api/transfers/?{urlencode(ours)}", f"/db/transfers.json?{urlencode(theirs)}"

    def html_search(r):
        term = r.choice(s.terms)
        extra = [("type", "transfer")] if r.random() < 0.3 else []
        return f"/search/?{urlencode([('q', term), *extra])}", f"/db/transfers?{urlencode([('_search', term)])}"

    def home_filtered(r):
        params, page = _filters(s, r), r.randint(1, 3)
        year = r.randint(1992, 2020)
        if r.random() < 0.5:
            params.append(("from", str(year)))
        ours = [("type", "transfer"), *params, *([("page", str(page))] if page > 1 else [])]
        theirs = [(k, v) for k, v in params if k != "from"]
        theirs += [("date_start__gte", f"{year}-01-01")] if ("from", str(year)) in params else []
        theirs += [("_next", str(r.randint(1, s.max_id // 2)))] if page > 1 else []
        return f"/?{urlencode(ours)}", f"/db/transfers?{urlencode(theirs)}"

    def record_page(r):
        slug, pk = r.choice(s.transfers)
        return f"/transfers/{slug}/", f"/db/transfers/{pk}"

    sets = {
        "api_list_filtered": _distinct(api_list_filtered, rng),
        "api_list_any_depth": _distinct(api_list_any_depth, rng),
        "api_detail": _distinct(api_detail, rng),
        "api_search": _distinct(api_search, rng),
        "html_search": _distinct(html_search, rng),
        "home_filtered": _distinct(home_filtered, rng),
        "record_page": _distinct(record_page, rng),
    }
    # A system's page has one URL per system (13): sent in turn, with the cache off for
    # them (see run.py), so every answer is computed; Datasette has no counterpart.
    sets["system_page"] = [(f"/systems/{slug}/", None) for slug in s.systems]
    return sets


def drain(base: str, probe: str, *, parallel: int = 2, slow: float = 1.0, limit: float = 600) -> float:
    """Wait until the server has finished the requests wrk left behind; the seconds waited.

    wrk stops a slow path at CAP, but the server still answers what its connections
    had already sent (16 requests of 7 s each on two workers at a million records):
    the next path measured would start behind that backlog and look ten times slower
    than it is. ``parallel`` probes at once (one per server process: more would queue
    behind each other) must all come back within ``slow``, twice in a row; a request
    left over from a slow path takes longer than that.
    """
    started = time.monotonic()

    def probe_once(_) -> float:
        t = time.monotonic()
        urllib.request.urlopen(base + probe, timeout=limit).read()
        return time.monotonic() - t

    quick_rounds = 0
    with ThreadPoolExecutor(parallel) as pool:
        while quick_rounds < 2 and time.monotonic() - started < limit:
            quick_rounds = quick_rounds + 1 if max(pool.map(probe_once, range(parallel))) < slow else 0
    return time.monotonic() - started


def run_wrk(base: str, paths: list[str], work: Path, name: str, *, cap: str = CAP) -> dict:
    """wrk over ``paths`` (each at most once, for at most ``cap``): req/s, p50/p99 ms,
    URLs answered, errors."""
    work.mkdir(parents=True, exist_ok=True)
    script, urls = work / "cold.lua", work / f"{name}.txt"
    script.write_text(LUA)
    urls.write_text("\n".join(paths) + "\n")
    margin = CONNECTIONS // THREADS
    command = [
        "wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", cap, "--timeout", "10s",
        "-s", str(script), base, "--", str(urls), str(THREADS), str(margin),
    ]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    answered, seconds, p50, p99, non_2xx, timeouts = re.search(r"^COLD (.+)$", out, re.M).group(1).split()
    return {
        "rps": int(answered) / float(seconds),
        "p50_ms": float(p50),
        "p99_ms": float(p99),
        "urls": len(paths) - THREADS * margin,
        "answered": int(answered),
        "seconds": float(seconds),
        "non_2xx": int(non_2xx),
        "timeouts": int(timeouts),
    }


def combined(runs: list[dict]) -> dict:
    """One path's figures from its runs on halves of its URLs: req/s over all their answers
    and time; p50 the answer-weighted mean of theirs and p99 the larger (wrk reports
    percentiles, not the latencies they come from, so neither is exact: the p99 errs high)."""
    answered = sum(r["answered"] for r in runs)
    return {
        "rps": answered / sum(r["seconds"] for r in runs),
        "p50_ms": sum(r["p50_ms"] * r["answered"] for r in runs) / max(answered, 1),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "urls": sum(r["urls"] for r in runs),
        "answered": answered,
        "seconds": sum(r["seconds"] for r in runs),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "timeouts": sum(r["timeouts"] for r in runs),
        "halves": runs,
    }


def worker_rss_mb(master_pid: int) -> float:
    """The largest resident set among the server's worker processes, in MB."""
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    sizes = [int(line) for line in out.split() if line.strip().isdigit()]
    return round(max(sizes, default=0) / 1024, 1)
