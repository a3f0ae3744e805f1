"""Gap-free numbers: the counter moves inside the caller's transaction, so a failure later in it (a document
that fails to render) rolls the number back too. The row lock serialises concurrent callers on PostgreSQL;
SQLite's IMMEDIATE transactions serialise writers the same way."""

from django.db import transaction

from .models import Sequence


def next_number(key: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that saves the numbered record")
    Sequence.objects.get_or_create(key=key)
    entry = Sequence.objects.select_for_update().get(key=key)
    entry.last += 1
    entry.save(update_fields=["last"])
    return entry.last
