"""Row keys: time-ordered UUIDs (version 7, RFC 9562).

Every row that more than one place can create has a UUID key (docs/ARCHITECTURE.md, "Identity and
numbering"). The keys are made here, as UUID version 7: the first 48 bits are the Unix time in
milliseconds, the other 74 (after the version and variant bits) a random number that a process
raises by a random step for each key, so the keys one process makes always increase. Two places
never make the same key for the same reason random keys don't collide: 74 random bits per
millisecond per process.

Why not random keys (version 4): a random key lands on a random page of its table's key index, so
writing many rows dirties one index page per row, and the store grows slower to write as it grows.
Keys in creation order append at the end of the index (issuing 100,000 bills into a store that
already holds a month of them: 3,532-3,659 bills/s with random keys, 4,407/s with these;
docs/BENCHMARKS.md). They are still unique across stations without asking anyone, and their order
means nothing to the program: nothing sorts by key to find the newest row (the time columns say
when). People see a key's last 8 hex digits (short_id), which are random; its first ones are the
time, the same for keys made together.

The process's state is kept under a lock (threads), and a forked child starts a sequence of its own.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid

_VERSION_VARIANT = (0x7 << 76) | (0x2 << 62)
_LOW62 = (1 << 62) - 1
_START_BITS = 72  # a new millisecond's number starts below 2**72 of the 2**74: room for many steps
_STEP_BITS = 32


class _Sequence:
    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._rng = random.Random(os.urandom(32))
        self._ms = 0
        self._number = 0
        self._lock = threading.Lock()

    def take(self, n: int) -> list[uuid.UUID]:
        new, set_attr, safe = object.__new__, object.__setattr__, uuid.SafeUUID.unknown
        out = []
        with self._lock:
            rng = self._rng
            step = rng.getrandbits
            ms = time.time_ns() // 1_000_000
            if ms > self._ms:  # a new millisecond: a new random start
                self._ms, self._number = ms, step(_START_BITS)
            # Otherwise the same millisecond, or the clock went back: go on from the last key.
            ms, number = self._ms, self._number
            for _ in range(n):
                number += 1 + step(_STEP_BITS)
                if number >> 74:  # this millisecond's numbers are used up: the next one's
                    ms, number = ms + 1, step(_START_BITS)
                value = (ms << 80) | _VERSION_VARIANT | ((number >> 62) << 64) | (number & _LOW62)
                u = new(uuid.UUID)
                set_attr(u, "int", value)
                set_attr(u, "is_safe", safe)
                out.append(u)
            self._ms, self._number = ms, number
        return out


_sequence = _Sequence()


def new_ids(n: int) -> list[uuid.UUID]:
    """`n` new keys, each larger than every key this process made before."""
    return _sequence.take(n)


def new_id() -> uuid.UUID:
    """One new key (the models' default primary key)."""
    return _sequence.take(1)[0]


def short_id(key: uuid.UUID | str) -> str:
    """The 8 hex digits people see and type for a key (a difference to resolve, a notice, an archived
    file's name): the last 8, which are random. The first ones are the time the key was made, the same
    for keys made together."""
    return (key.hex if isinstance(key, uuid.UUID) else str(key).replace("-", "").lower())[-8:]
