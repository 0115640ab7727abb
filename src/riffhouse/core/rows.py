"""Model instances read with statements prepared once per process.

For the reads every logged-in request makes (its session and its member, decision 0043): the
ORM builds and compiles a query each time it is asked, which costs ten times the query itself.
Rows go through the same converters the ORM applies (SQLite's dates and booleans arrive as
text and integers), so an instance is the one `Model.objects.get(pk=...)` would give."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model

type _Converter = Callable[[Any, Any, Any], Any]


class _Prepared:
    """How `model`'s rows read on connection `alias`: its columns, and its converters."""

    def __init__(self, model: type[Model], alias: str) -> None:
        connection = connections[alias]
        meta = model._meta
        fields = [field for field in meta.concrete_fields if field.column]  # concrete: all
        self.table = str(meta.db_table)
        self.key = str(meta.pk.column if meta.pk else "id")
        self.columns = [str(field.column) for field in fields]
        self.names = [field.attname for field in fields]
        self.quote = connection.ops.quote_name
        table, key = self.quote(self.table), self.quote(self.key)
        self.by_pk = f"SELECT {self.select(self.table)} FROM {table} WHERE {table}.{key} = %s"  # noqa: S608 -- names from the model
        self.converters: list[tuple[int, list[_Converter], Any]] = []
        for position, field in enumerate(fields):
            column = field.get_col(meta.db_table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                self.converters.append((position, found, column))

    def select(self, table: str) -> str:
        """The columns, each as `table`.column."""
        return ", ".join(f"{self.quote(table)}.{self.quote(column)}" for column in self.columns)


_prepared: dict[tuple[type[Model], str], _Prepared] = {}


def _prepare(model: type[Model], alias: str) -> _Prepared:
    prepared = _prepared.get((model, alias))
    if prepared is None:
        prepared = _prepared[(model, alias)] = _Prepared(model, alias)
    return prepared


def columns_sql(*, model: type[Model], alias: str, table: str) -> str:
    """`model`'s columns, each as `table`.column, in the order `instance_from_row` reads."""
    return _prepare(model, alias).select(table)


def columns_count(*, model: type[Model], alias: str) -> int:
    """How many columns `columns_sql` names."""
    return len(_prepare(model, alias).columns)


def primary_key_column(*, model: type[Model], alias: str) -> str:
    return _prepare(model, alias).key


def instance_from_row[M: Model](*, model: type[M], alias: str, row: Sequence[Any]) -> M:
    """An instance of `model` from the values of `columns_sql`'s columns, converted as the
    ORM converts them."""
    prepared = _prepare(model, alias)
    connection = connections[alias]
    values = list(row)
    for position, found, column in prepared.converters:
        value = values[position]
        for converter in found:
            value = converter(value, column, connection)
        values[position] = value
    return model.from_db(alias, prepared.names, values)


def instance_by_pk[M: Model](*, model: type[M], pk: Any) -> M | None:
    """`model.objects.filter(pk=pk).first()` (through the table, with no manager filters), or
    None."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql = _prepare(model, alias).by_pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    return None if row is None else instance_from_row(model=model, alias=alias, row=row)
