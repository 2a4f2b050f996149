"""gunicorn's settings, read from the working directory by every gunicorn started here
(the Procfile's web process, the benchmark, the tests that run real processes).

Threaded workers (``gthread``): a sync worker answers one connection at a time and
closes it, so with more clients than workers the rest wait in the listen queue, and
some wait through TCP's connection retries. Measured at 100,000 transfers, 16
connections, 500 distinct API details: sync workers 75.6 requests/s with a p99 of
3,093 ms; threaded (4 threads) 195.6 requests/s with a p99 of 229 ms. Django is
thread-safe, and each thread has its own database connection.

Each worker listens on its own socket (``reuse_port``: with ``SO_REUSEPORT`` the pinned
gunicorn opens one in each worker), and the kernel spreads new connections over them. On one
shared socket the worker that woke first accepted nearly all of a burst of clients: the
16 connections of a benchmark run sat 16-0 or 15-1 on two workers, so one worker's
threads (one core, under the GIL) served them all while the other idled. Measured at
100,000 transfers, 2,000 distinct URLs per path, side by side with Datasette: API details
639 -> 935 requests/s, record pages 305 -> 317, and runs of the same path no longer
differing by half from one connection burst to the next. A second server started on the
same port would share it rather than fail to bind: ``on_starting`` refuses to start then.
"""

import os
import socket

worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
reuse_port = True


def on_starting(server):
    """Refuse to start where a server already listens: with ``reuse_port`` the kernel
    would let both bind the port and split its clients between two servers (an old
    release and a new one, say) without a word."""
    if server.master_pid:  # a re-executed master (USR2) takes over from its parent on purpose
        return
    for address in server.cfg.address:
        if not isinstance(address, tuple):
            continue  # a Unix socket: bound exclusively as ever
        host, port = address[0], address[1]
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not a server
            try:
                probe.bind((host, port))
            except OSError as exc:
                raise SystemExit(f"gunicorn: {host}:{port} is in use by another server ({exc.strerror}).") from exc


def post_worker_init(worker):
    """Compute what most pages read before this worker takes a request
    (``ground.fragment_cache.warm``): its first requests would otherwise each wait for
    them (1.1-1.8 s at a million records) and the rest queue behind those. Then answer
    a typical request of each kind (``ground.worker_start.rehearse``): a worker's first
    request of a kind imports and compiles what its views need (0.1-0.26 s)."""
    from django.db import connections

    from ground.fragment_cache import warm
    from ground.worker_start import rehearse

    warm()
    rehearse(worker.wsgi)  # the worker's own handler, whose middleware keep what they build
    connections.close_all()  # this thread serves nothing; each worker thread opens its own
