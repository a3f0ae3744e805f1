"""Listings of regions cached under the division tree's version (``RegionStamp``, #23).

A province inspector's region picker lists 2,111 regions on every page that has one; the tree changes a few times
a year (an import, a rename, a retirement). So a listing is cached under what it lists and the tree's stamp:

- every service that writes regions calls ``bump()`` in its own transaction: the tree and its stamp change
  together, or not at all;
- a reader reads the stamp (one primary-key read) before the regions, so a listing cached under a stamp is never
  older than that stamp, and the next request after a write asks for a key no one has filled: **no stale listing**;
- the stamp is random, not counted: a write rolled back, or a restored or re-made database, never brings back a
  stamp a cache (each process's local memory, or Redis shared by all) still holds listings under.
"""

import hashlib
import secrets

from django.core.cache import cache

from .models import RegionStamp

# Listings of an old stamp are never asked for again; they leave the cache after a day at the latest.
TIMEOUT = 24 * 3600


def new_stamp() -> int:
    return secrets.randbits(62)


def bump() -> None:
    """The tree changed: a new stamp, in the caller's transaction (every service that writes regions)."""
    if not RegionStamp.objects.filter(pk=1).update(stamp=new_stamp()):
        # first write after a flush: made with its stamp (or updated if another writer just made it)
        RegionStamp.objects.update_or_create(pk=1, defaults={"stamp": new_stamp()})


def current() -> int:
    """The tree's stamp now (made on first use, e.g. after a flush)."""
    stamp = RegionStamp.objects.filter(pk=1).values_list("stamp", flat=True).first()
    if stamp is None:
        stamp = RegionStamp.objects.get_or_create(pk=1, defaults={"stamp": new_stamp()})[0].stamp
    return stamp


def cached(name: str, parts: tuple, build):
    """``build()``, cached under the listing's ``name``, what it depends on besides the tree (``parts``: the
    user's scope prefixes, levels …) and the tree's current stamp."""
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    key = f"orgs:{name}:{digest}:{current()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
