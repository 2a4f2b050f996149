"""The real-worker fixtures of the statistics' tests, for the search's worker test."""

from tests.aggregates.test_worker import redis_broker, start_worker  # noqa: F401 - fixtures, found by pytest here
