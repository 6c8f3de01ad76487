"""Queries compiled to SQL once per process and shape, then run with each request's values.

Building an unfiltered list page's queryset and compiling it took ~5 ms (the section, the
published rule and the reader-language rules, three subqueries), three times what
PostgreSQL takes to run it. Its SQL depends only on the list's shape: the section, the
reader's language, the order and the direction it pages in. The values that change from
request to request are the time (an embargo lifts at its publish_at) and the cursor. So
each shape is built once with marker values in their place, and a request swaps its own
values in for the markers; the rows come back through the compiler's own converters.

The markers are of the field's type and in year 1, which no release has; compiling
refuses a query in which a marker is missing or (where the database takes times as such,
PostgreSQL) a time appears that is not a marker, since that time would be kept for every
later request.

On PostgreSQL the query is also a prepared statement with a generic plan: its constants
are written into the SQL as Django's client-side binding would send them, only the marked
values are parameters, and psycopg prepares it after a few runs (DATABASES' OPTIONS set
prepare_threshold). Parsing and planning were ~1 ms of a list page's 1.6 ms query. With
the constants as parameters too, the generic plan could not use the partial indexes and
took 450 ms.
"""

import threading
from collections.abc import Callable, Hashable
from datetime import datetime

from django.db import connections
from django.db.models import Field, QuerySet

MAX_SHAPES = 512  # per thread; a shape is a section, language, order and direction


class CompiledQuery:
    def __init__(self, queryset: QuerySet, markers: dict[str, tuple[Field, object]]):
        """`queryset` built with `markers`' values: name -> (field it is compared to, value)."""
        self.alias = queryset.db
        connection = connections[self.alias]
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.fields = {name: field for name, (field, _value) in markers.items()}
        self._find_slots(markers, connection)
        if connection.vendor == "postgresql":
            self._only_markers_as_parameters(connection)

    def _find_slots(self, markers, connection) -> None:
        adapted = {
            name: field.get_db_prep_value(value, connection)
            for name, (field, value) in markers.items()
        }
        self.slots: dict[int, str] = {}
        for index, param in enumerate(self.params):
            for name, mark in adapted.items():
                if type(param) is type(mark) and param == mark:
                    self.slots[index] = name
            if isinstance(param, datetime) and index not in self.slots:
                raise ValueError(f"A time that is not a marker is compiled into: {self.sql}")
        unused = set(markers) - set(self.slots.values())
        if unused:
            raise ValueError(f"Markers {sorted(unused)} are not in the compiled query")

    def _only_markers_as_parameters(self, connection) -> None:
        from psycopg import ClientCursor

        slot_text = {index: f"pressroom-slot-{index}" for index in self.slots}
        params = [slot_text.get(index, param) for index, param in enumerate(self.params)]
        connection.ensure_connection()
        with ClientCursor(connection.connection) as client:
            sql = client.mogrify(self.sql, params).replace("%", "%%")
        for text in slot_text.values():
            if sql.count(f"'{text}'") != 1:
                raise ValueError(f"Cannot tell a marked value from the SQL text: {self.sql}")
            sql = sql.replace(f"'{text}'", "%s")
        self.sql = sql
        self.params = []  # every other value is now in the SQL text
        self.server_binding = True

    server_binding = False  # other databases get the compiled SQL and all its values

    def _run_prepared(self, checked, connection, params) -> list[tuple]:
        """Through a server-side binding cursor in the wrapper Django gave `checked`: Django's
        own cursors bind on the client, which PostgreSQL cannot prepare."""
        from psycopg import Cursor

        with type(checked)(Cursor(connection.connection), connection) as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def rows(self, **values) -> list[tuple]:
        """The query's rows, with `values` in place of the markers of the same names."""
        connection = connections[self.alias]
        params = list(self.params)
        for index, name in self.slots.items():
            value = self.fields[name].get_db_prep_value(values[name], connection)
            if self.server_binding:
                params.append(value)  # the slots are in the order of their indexes
            else:
                params[index] = value
        with connection.cursor() as cursor:  # connected, health-checked, logged as usual
            if self.server_binding:
                rows = self._run_prepared(cursor, connection, params)
            else:
                cursor.execute(self.sql, params)
                rows = cursor.fetchall()
        if self.compiler.has_extra_select:
            rows = [row[: self.compiler.col_count] for row in rows]
        return list(self.compiler.results_iter(results=[rows], tuple_expected=True))


_compiled = threading.local()


def compiled(
    shape: Hashable, build: Callable[[], QuerySet], markers: dict[str, tuple[Field, object]]
) -> CompiledQuery:
    """The query of `shape`, compiled from `build()` the first time this thread meets it.

    `shape` must name everything `build` puts into the SQL besides the markers. Per thread,
    because a compiled query reads its rows through one connection's converters.
    """
    queries = getattr(_compiled, "queries", None)
    if queries is None:
        queries = _compiled.queries = {}
    query = queries.get(shape)
    if query is None:
        if len(queries) >= MAX_SHAPES:
            queries.clear()
        query = queries[shape] = CompiledQuery(build(), markers)
    return query
