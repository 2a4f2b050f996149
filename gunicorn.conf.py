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
