"""Page-number pagination for every API list, with a client page size and a ceiling."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ground.fragment_cache import per_data_version
from ground.keyset import rows_after
from ground.schema import NO_NUL


class CountPerDataVersionPaginator(Paginator):
    """A paginator that counts once per data version and finds deep pages by their keys.

    Every page of a list, and every reader paging through it, repeats the same count;
    over a filter that matches much of a million-row table it costs more than the page
    itself. The key is the count's own SQL and parameters, so another filter is another
    key, and a write (a new data version) recounts.

    A deep page (``OFFSET`` in the tens of thousands) makes the database step over every
    row before it. From ``DEFERRED_FROM`` rows on, the page first reads only the rows'
    slugs (the last column of every list index, so PostgreSQL steps over the index alone:
    20 ms instead of 157 ms for row 75,000 of 100,000), then those 50 rows whole. A list
    of the keys alone (``ground.lean_rows`` pages that way) is already that cheap read.

    With ``count_cap``, counting stops after that many rows (``count_exact`` says whether
    it did): a searched list's count over a common word's matches was most of its time
    (124,807 for "helicopter" at a million records: 0.4-2.6 s, counted for each filter).
    """

    DEFERRED_FROM = 1000

    def __init__(self, *args, count_cap: int | None = None, counter: Callable[[], int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_cap = count_cap
        self.counter = counter

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        if bottom < self.DEFERRED_FROM or not isinstance(queryset, QuerySet):
            return super().page(number)
        key = page_key(queryset.model)
        if queryset.query.values_select == (key,):  # the keys alone: already the cheap read
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(queryset.values_list(key, flat=True)[bottom:top])
        rows = {getattr(row, key): row for row in queryset.order_by().filter(**{f"{key}__in": keys})}
        return self._get_page([rows[k] for k in keys], number, self)

    @cached_property
    def _counted(self) -> int:
        """The rows counted: all of them, or with ``count_cap`` at most one more than it;
        by ``counter`` where the filters gave one (a count read without the rows)."""
        if self.counter is not None:
            return self.counter()
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        try:
            sql, params = queryset.order_by().query.sql_with_params()
        except EmptyResultSet:  # e.g. pk__in=[]: Django answers 0 without SQL
            return super().count
        digest = hashlib.blake2b(repr((sql, params)).encode(), digest_size=16).hexdigest()
        cap = self.count_cap
        if cap is None:
            return per_data_version(f"count:{digest}", queryset.count)
        # COUNT over a LIMIT: the database stops at the first cap + 1 rows.
        return per_data_version(f"count:{digest}:up-to-{cap}", lambda: queryset.order_by()[: cap + 1].count())

    @cached_property
    def count(self) -> int:
        return self._counted if self.count_exact else self.count_cap

    @property
    def count_exact(self) -> bool:
        """False where counting stopped at ``count_cap``: ``count`` is then that cap, and
        there are more rows."""
        return self.count_cap is None or self._counted <= self.count_cap


def has_unique_slug(model) -> bool:
    try:
        return model._meta.get_field("slug").unique
    except FieldDoesNotExist:
        return False


def page_key(model) -> str:
    """What a page of ``model``'s records is located by: the unique slug where there is one
    (the last column of every list index, so paging steps over the index alone), else pk."""
    return "slug" if has_unique_slug(model) else "pk"


class PageNumberWithSize(PageNumberPagination):
    """``?page=2&page_size=100``, or ``?after=<slug>`` past the first pages.

    A malformed or too-large page size is a 400, not ignored: DRF silently falls back to
    the default page size on a bad ``page_size``; a client asking for 10,000 rows and
    getting 50 would not notice it got a partial answer, so we name the parameter and the
    rule instead.

    ``after`` names the record a page starts after (its slug; lists of records without
    slugs page by number only) and reads the page off the ordering's index (``ground.keyset``), so a deep
    page costs what page 2 costs. Page numbers stay for the first pages: from row
    ``KEYSET_FROM`` on, ``next`` continues after the page's last record instead, and an
    ``after`` page has no ``previous``. With ``after``, ``page`` counts pages from that
    record (``?after=x&page=2``: the second page after x).
    """

    django_paginator_class = CountPerDataVersionPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    after_query_param = "after"
    KEYSET_FROM = CountPerDataVersionPaginator.DEFERRED_FROM

    #: A searched list (``q``) counts its matches up to this many (``count_exact`` false
    #: beyond). The pages ``next`` links number end near ``KEYSET_FROM`` rows, inside the
    #: cap; a page asked for by number past it (or ``page=last``) is counted exactly.
    #: The least cap that keeps them inside: counting a common word's matches reads each
    #: one's index entry from the table, and at a million records 10,000 of them took
    #: 130-540 ms, a third of the searched lists' p99 (1,500: p99 548 -> 163 ms, in-process).
    SEARCH_COUNT_CAP = KEYSET_FROM + max_page_size
    search_query_param = "q"

    def paginate_queryset(self, queryset, request, view=None):
        self.check_params(request)
        self.after = request.query_params.get(self.after_query_param)
        self.key = page_key(queryset.model) if isinstance(queryset, QuerySet) else "pk"
        # Only a list that continues after a record past its first pages may stop counting:
        # one numbered at any depth (the timeline, endnotes) needs the count for its links.
        searched = request.query_params.get(self.search_query_param, "").strip()
        search_count = getattr(view, "search_count", None)  # (most to count) -> count, from the index
        if searched and self.key == "slug" and not self._past_cap(request):
            counter = partial(search_count, self.SEARCH_COUNT_CAP + 1) if search_count is not None else None
            self.django_paginator_class = partial(
                type(self).django_paginator_class, count_cap=self.SEARCH_COUNT_CAP, counter=counter
            )
        elif searched and search_count is not None:
            self.django_paginator_class = partial(type(self).django_paginator_class, counter=search_count)
        elif getattr(view, "grouped_count", None) is not None:
            self.django_paginator_class = partial(type(self).django_paginator_class, counter=view.grouped_count)
        if self.after is None or self.key != "slug":  # a view without slugs does not accept after
            self.after = None
            rows = super().paginate_queryset(queryset, request, view)
            self.last_key = _key_of(rows[-1], self.key) if rows else None
            return rows
        self.request = request
        size = self.get_page_size(request)
        self.count_of = self.django_paginator_class(queryset, size)
        skip = (int(request.query_params.get(self.page_query_param, 1)) - 1) * size  # page k after the record
        rows = rows_after(queryset, self.key, self.after, skip + size + 1, self.after_query_param)[skip:]
        self.has_more, rows = len(rows) > size, rows[:size]
        self.last_key = _key_of(rows[-1], self.key) if rows else None
        return rows

    def _past_cap(self, request) -> bool:
        """Whether a numbered page needs the exact count: ``page=last``, or a page that
        ends past the cap (asked for by number; ``next`` links continue ``after`` there)."""
        if request.query_params.get(self.after_query_param) is not None:
            return False  # the pages after a record are not numbered against the count
        page = request.query_params.get(self.page_query_param)
        if page in self.last_page_strings:
            return True
        return page is not None and int(page) * self.get_page_size(request) > self.SEARCH_COUNT_CAP

    def get_paginated_response(self, data):
        counted = self.page.paginator if self.after is None else self.count_of
        previous = self.get_previous_link() if self.after is None else None
        return Response(
            {
                "count": counted.count,
                "count_exact": counted.count_exact,
                "next": self.get_next_link(),
                "previous": previous,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["description"] = (
            f"Number of results; for a search (q) at most {self.SEARCH_COUNT_CAP:,}, with count_exact false "
            "when there are more (page=last counts them all)."
        )
        properties = {
            "count": properties["count"],
            "count_exact": {"type": "boolean", "example": True},
            **{name: value for name, value in properties.items() if name != "count"},
        }
        properties["count_exact"]["description"] = "False when count stopped at the search's cap: there are more."
        paginated["properties"] = properties
        paginated["required"] = [*paginated.get("required", []), "count_exact"]
        return paginated

    def get_next_link(self) -> str | None:
        if self.after is not None:
            if not self.has_more:
                return None
        elif not self.page.has_next() or self.page.end_index() < self.KEYSET_FROM or self.key != "slug":
            return super().get_next_link()  # the first pages, and lists without slugs, page by number
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.after_query_param, self.last_key)

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"page_size must be a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def check_params(self, request) -> None:
        """Refuse a malformed ``page`` or ``page_size`` even where the answer is not paged
        (citation and register downloads are the whole selection unless a page is asked for)."""
        raw = request.query_params.get(self.page_query_param)
        after = request.query_params.get(self.after_query_param)
        if after is not None and raw in self.last_page_strings:
            raise ValidationError({self.page_query_param: ["with after, page must be a whole number of 1 or more."]})
        if after == "":
            raise ValidationError({self.after_query_param: ["must not be empty; leave the parameter out."]})
        # ASCII digits only: str.isdigit() is also true of "³", which int() refuses.
        if (
            raw is not None
            and raw not in self.last_page_strings
            and not (raw.isascii() and raw.isdigit() and int(raw) >= 1)
        ):
            raise ValidationError({self.page_query_param: ["page must be a whole number of 1 or more, or 'last'."]})
        self.get_page_size(request)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        params = super().get_schema_operation_parameters(view)
        keyset = getattr(view, "pages_after", lambda: False)()
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"].update({"minimum": 1, "maximum": self.max_page_size})
                param["description"] = (
                    f"Number of results per page (default {self.page_size}, at most {self.max_page_size})."
                )
            elif param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
        params += [
            {
                "name": self.after_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Start the page after the record with this slug, in the "
                    "list's order: deep pages at the cost of the first. With page, the pages are counted "
                    "from that record. The next link of "
                    f"pages past row {self.KEYSET_FROM:,} uses it."
                ),
                "schema": {"type": "string", "minLength": 1, "pattern": NO_NUL},
            }
        ][: int(keyset)]
        return params


def _key_of(row, key: str):
    """A page row's key: a model row's attribute, or the row itself where the page is keys."""
    return getattr(row, key) if isinstance(row, Model) else row
