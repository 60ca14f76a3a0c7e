"""Small database helpers shared by the apps."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from django.db import connections
from django.db.models import QuerySet

T = TypeVar("T")

# Keys per `IN (...)` query: far below every backend's bound-parameter limit (SQLite's is the lowest).
IN_CHUNK = 900


def in_chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size``, for ``filter(pk__in=chunk)`` queries over long key lists."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Compiled:
    """A query compiled to SQL once per shape and per thread's connection, then run with each call's values in the
    places of the stand-in values it was compiled with (subclasses say which)."""

    def __init__(self, database: str = "default"):
        self.database = database
        self._local = threading.local()

    def _execute(self, shape, compile_plan, values: Sequence) -> list[list]:
        connection = connections[self.database]
        plans = self._local.__dict__.setdefault("plans", {})
        key = (id(connection), shape)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = compile_plan()
        sql, template, positions, compiler, converters = plan
        params = list(template)
        for position, value in zip(positions, values, strict=True):
            params[position] = _like(template[position], value)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return list(compiler.apply_converters(rows, converters))
        return [list(row) for row in rows]

    @staticmethod
    def _plan(queryset, stand_ins: Sequence):
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        adapted = [str(value) if isinstance(value, dt.date) else value for value in stand_ins]
        positions = [_position(params, value, alt) for value, alt in zip(stand_ins, adapted, strict=True)]
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        return sql, params, positions, compiler, converters


def _position(params: list, value, adapted) -> int:
    for index, param in enumerate(params):
        if param in (value, adapted):
            return index
    raise ValueError(f"the stand-in {value!r} is not among the compiled query's parameters")


def _like(template, value):
    """``value`` as the backend took the stand-in: SQLite gets dates as ISO text, PostgreSQL as dates."""
    return value.isoformat() if isinstance(template, str) and isinstance(value, dt.date) else value


class CompiledIn(_Compiled):
    """A ``values_list()`` queryset filtered by ``<field>__in=keys``, compiled to SQL once per number of keys (per
    thread's connection) and then run with each call's keys.

    For hot read paths whose queries cost less than Django's building and compiling of them (an API listing's row
    queries: about a third of its time). Rows come back as ``values_list()`` gives them (the backend's converters
    applied), as lists, in the queryset's order; keys are de-duplicated and read in chunks of IN_CHUNK. Keys are
    integers (primary and foreign keys): the compiled SQL is found again by integer stand-ins.
    """

    _SENTINEL = -(2**52)  # stand-in keys for compiling: found again among the parameters by their value

    def __init__(self, queryset, field: str = "pk"):
        super().__init__(queryset.db)
        self.queryset = queryset
        self.lookup = f"{field}__in"

    def rows(self, keys: Sequence) -> list[list]:
        unique = list(dict.fromkeys(keys))
        out: list[list] = []
        for chunk in in_chunks(unique):
            out.extend(self._execute(len(chunk), functools.partial(self._compile, len(chunk)), chunk))
        return out

    def _compile(self, count: int):
        stand_ins = [self._SENTINEL - index for index in range(count)]
        return self._plan(self.queryset.filter(**{self.lookup: stand_ins}), stand_ins)


class CompiledDates(_Compiled):
    """A ``values_list()`` queryset made by ``build(start, end)`` from two dates, compiled once (per thread's
    connection) and run with each call's dates: for a listing of a period, read on every request."""

    _STAND_INS = (dt.date(1001, 2, 3), dt.date(1002, 3, 4))  # dates no data has: found again among the parameters

    def __init__(self, build: Callable[[dt.date, dt.date], QuerySet], database: str = "default"):
        super().__init__(database)
        self.build = build

    def rows(self, start: dt.date, end: dt.date) -> list[list]:
        return self._execute("dates", lambda: self._plan(self.build(*self._STAND_INS), self._STAND_INS), (start, end))
