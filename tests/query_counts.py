"""Statements a request runs besides its reads, for the tests that count queries."""

from django.db import connection

#: A search's first read of its matches (``ground.search_index.summarise_matches``) runs
#: on PostgreSQL with a work_mem of its own, so in a transaction of its own: in a test's
#: transaction a savepoint (SAVEPOINT, SET LOCAL, RELEASE SAVEPOINT); outside one, BEGIN,
#: SET LOCAL and COMMIT, of which Django logs the SET only.
SUMMARY_WORK_MEM = 3 if connection.vendor == "postgresql" else 0
