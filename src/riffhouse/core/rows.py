"""One model instance by primary key, read with a statement prepared once per process.

For the reads every logged-in request makes (its member, decision 0043): the ORM builds and
compiles a query each time it is asked, which costs ten times the query itself. The row
goes through the same converters the ORM applies (SQLite's dates and booleans arrive as
text and integers), so the instance is the one `Model.objects.get(pk=...)` would give."""

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model

type _Converter = Callable[[Any, Any, Any], Any]
type _Prepared = tuple[str, list[str], list[tuple[int, list[_Converter], Any]]]

_prepared: dict[tuple[type[Model], str], _Prepared] = {}


def _prepare(model: type[Model], alias: str) -> _Prepared:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field.column]  # concrete: all
    columns = ", ".join(quote(str(field.column)) for field in fields)
    key = quote(str(meta.pk.column if meta.pk else "id"))
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {key} = %s"  # noqa: S608 -- names from the model
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, found, column))
    return sql, [field.attname for field in fields], converters


def instance_by_pk[M: Model](*, model: type[M], pk: Any) -> M | None:
    """`model.objects.filter(pk=pk).first()` (through the default manager's table, with no
    manager filters), or None."""
    alias = router.db_for_read(model)
    prepared = _prepared.get((model, alias))
    if prepared is None:
        prepared = _prepared[(model, alias)] = _prepare(model, alias)
    sql, names, converters = prepared
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for position, found, column in converters:
        value = values[position]
        for converter in found:
            value = converter(value, column, connection)
        values[position] = value
    return model.from_db(alias, names, values)
