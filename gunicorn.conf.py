"""gunicorn's settings, read from the working directory by every gunicorn started here
(the Procfile's web process, the benchmark, the tests that run real processes).

Threaded workers (``gthread``): a sync worker answers one connection at a time and
closes it, so with more clients than workers the rest wait in the listen queue, and
some wait through TCP's connection retries. Measured at 100,000 transfers, 16
connections, 500 distinct API details: sync workers 75.6 requests/s with a p99 of
3,093 ms; threaded (4 threads) 195.6 requests/s with a p99 of 229 ms. Django is
thread-safe, and each thread has its own database connection.
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))


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
