"""Reads on the write path whose SQL Django compiles once per database instead of once per call.

Every device POST rebuilds the race's board from a handful of reads (timing/snapshot.py). On
SQLite, Django's turning such a queryset into SQL costs 5 to 8 times what running that SQL
costs (measured: 0.77 ms against 0.10 ms for the start list of 15 pairs), so the compilation,
not the database, was most of a write (bench/results.md, "the write path"). A `Prepared` read is
still written as a queryset, so the models stay the one description of the tables and Django's
own converters still turn each column into Python (SQLite's 0/1 into booleans, its text into
datetimes); only the compiled SQL is kept, per connection alias and vendor, and run again with
the call's arguments in place of the placeholders' markers.

The queryset must be a `values()` or `values_list()` read whose only varying parts are the
arguments (no `__in` of a list whose length varies: its placeholders would be compiled once).
"""
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

_SHAPES = {ValuesIterable: "dict", ValuesListIterable: "tuple", FlatValuesListIterable: "flat"}


def _marker(kind, i):
    """A stand-in argument, found again among the compiled parameters. An int one stays inside
    every integer column's range: Django compiles an out-of-range lookup to "matches nothing"."""
    if kind is int:
        return 2_147_000_000 + i
    if kind is str:
        return f"\x00prepared-argument-{i}"
    raise TypeError("Prepared arguments are int or str")


class _Compiled:
    def __init__(self, queryset, markers):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.slots = [(markers.index(p) if p in markers else None, p) for p in params]
        found = {i for i, _ in self.slots if i is not None}
        if found != set(range(len(markers))):
            raise ValueError(f"{queryset.model.__name__} read: every argument must become one parameter")
        self.converters = list(compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]]).items())
        self.shape = _SHAPES.get(queryset._iterable_class)
        if self.shape is None:
            raise TypeError("A prepared read is a values() or values_list() queryset")
        query = queryset.query
        self.names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select
        ]


class Prepared:
    """`Prepared(lambda race_id: Model.objects.filter(...).values(...), int)`, then call it with a
    race id: a list of dicts (values), tuples (values_list) or values (flat), as the queryset gives."""

    def __init__(self, make, *kinds):
        self.make, self.kinds = make, kinds
        self._compiled = {}

    def _for(self, alias):
        connection = connections[alias]
        key = (alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            markers = [_marker(kind, i) for i, kind in enumerate(self.kinds)]
            compiled = self._compiled[key] = _Compiled(self.make(*markers).using(alias), markers)
        return connection, compiled

    def __call__(self, *args, using=DEFAULT_DB_ALIAS):
        if len(args) != len(self.kinds):
            raise TypeError(f"expected {len(self.kinds)} arguments, got {len(args)}")
        for arg, kind in zip(args, self.kinds):
            if not isinstance(arg, kind) or isinstance(arg, bool):
                raise TypeError(f"a prepared read's argument must be {kind.__name__}, not {arg!r}")
        connection, c = self._for(using)
        params = [p if i is None else args[i] for i, p in c.slots]
        with connection.cursor() as cursor:
            cursor.execute(c.sql, params)
            rows = cursor.fetchall()
        if c.converters:
            rows = [_converted(row, c.converters, connection) for row in rows]
        if c.shape == "dict":
            names = c.names
            return [dict(zip(names, row)) for row in rows]
        if c.shape == "flat":
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]


def _converted(row, converters, connection):
    """As Django's SQLCompiler.apply_converters, with this thread's connection."""
    row = list(row)
    for pos, (convs, expression) in converters:
        value = row[pos]
        for converter in convs:
            value = converter(value, expression, connection)
        row[pos] = value
    return row
