"""Demo ratings and queue tickets (demo store only), so the status bar's satisfaction, satisfaction by
clerk and kind, and the wait and service times have something to show: most of the demo's payments and
registered matters rated on the pad a minute after the service (a few not rated), and this morning's
queue at two counters with tickets of both kinds."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import UserError
from app.kernel.localtime import local_now, to_utc
from app.models import ContactRecord
from app.services.counter import service_quality as sq

# Roughly how a hall's pads answer: mostly very satisfied, now and then not rated.
WEIGHTS = (("very_satisfied", 60), ("satisfied", 22), ("neutral", 7), ("dissatisfied", 3), (sq.NOT_RATED, 8))


def fill(db: Database, rng: random.Random, actor: Actor) -> None:
    with db.read() as s:
        contacts = s.execute(
            select(ContactRecord.ref_id, ContactRecord.at).where(ContactRecord.ref_id.is_not(None)).order_by(ContactRecord.at)
        ).all()
    ratings, weights = zip(*WEIGHTS)
    seen = set()
    for ref_id, at in contacts:
        if ref_id in seen or rng.random() < 0.15:  # one rating per service; some counters have no pad
            continue
        seen.add(ref_id)
        try:
            sq.rate(db, actor, ref_id, rng.choices(ratings, weights)[0], counter="1", at=at + timedelta(minutes=1))
        except UserError:
            continue
    _queue(db, rng, actor)


def _queue(db: Database, rng: random.Random, actor: Actor) -> None:
    """This morning's tickets: issued from 08:30 every few minutes, called in order at counters 1 and 2."""
    now = local_now()
    start = datetime.combine(now.date(), datetime.min.time()).replace(hour=8, minute=30)
    if now < start + timedelta(hours=1):
        start = now - timedelta(hours=2)  # early in the day (or a test at night): the last two hours
    issued, numbers = start, {"A": 0, "B": 0}
    free_at = {"1": start, "2": start}
    for _ in range(16):
        issued += timedelta(minutes=rng.randrange(2, 9))
        kind = "A" if rng.random() < 0.7 else "B"
        numbers[kind] += 1
        counter = min(free_at, key=free_at.get)
        called = max(issued + timedelta(minutes=rng.randrange(0, 6)), free_at[counter])
        served = called + timedelta(minutes=rng.randrange(3, 12) if kind == "A" else rng.randrange(8, 25))
        if served >= now:
            break
        sq.call_next(
            db, actor, counter, "AB", typed=f"{kind}{numbers[kind]:03d}", issued_at=issued.replace(microsecond=0), now=to_utc(called)
        )
        sq.finish_current(db, actor, counter, now=to_utc(served))
        free_at[counter] = served
