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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

#: Distinct URLs per path and server; wrk stops earlier on a path slower than CAP allows.
URLS_PER_PATH = 2000
CAP = "40s"
THREADS, CONNECTIONS = 2, 16

# wrk runs one Lua state per thread. setup() numbers the threads; init() keeps the
# thread's share of the URL file (line i goes to thread i mod threads); request() sends
# the next URL of the share; response() stops the thread once its share is all sent.
# Requests still in flight when a thread stops are abandoned, never repeated.
LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local share, sent, answered = {}, 0, 0
function init(args)
  local id, count, i = tonumber(wrk.thread:get("id")), tonumber(args[2]), 0
  for line in io.lines(args[1]) do
    if i % count == id - 1 then share[#share + 1] = line end
    i = i + 1
  end
end

function request()
  sent = sent + 1
  return wrk.format(nil, share[math.min(sent, #share)])
end

function response(status, headers, body)
  answered = answered + 1
  if sent >= #share then wrk.thread:stop() end
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
    while len(seen) < URLS_PER_PATH and attempts < URLS_PER_PATH * 50:
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
    how a Datasette client reaches page k; ours by ``?page=k`` for the same depth.
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


def run_wrk(base: str, paths: list[str], work: Path, name: str) -> dict:
    """wrk over ``paths`` (each once): req/s, p50/p99 ms, URLs answered, errors."""
    work.mkdir(parents=True, exist_ok=True)
    script, urls = work / "cold.lua", work / f"{name}.txt"
    script.write_text(LUA)
    urls.write_text("\n".join(paths) + "\n")
    command = [
        "wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", CAP, "--timeout", "10s", "--latency",
        "-s", str(script), base, "--", str(urls), str(THREADS),
    ]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    answered = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
        "urls": len(paths),
        "answered": answered,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "timeouts": int(errors.group(4)) if errors else 0,
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def worker_rss_mb(master_pid: int) -> float:
    """The largest resident set among the server's worker processes, in MB."""
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    sizes = [int(line) for line in out.split() if line.strip().isdigit()]
    return round(max(sizes, default=0) / 1024, 1)
