"""Row keys are time-ordered UUIDs (app/kernel/ids.py): version 7, increasing within a process,
unique across threads and forked processes, with the time of their making in front."""

from __future__ import annotations

import os
import threading
import time
import uuid

from app.db.bulk import pooled_id
from app.kernel.ids import new_id, new_ids
from app.models.base import new_id as model_default


def test_keys_are_version_7_increasing_and_carry_the_time():
    before = time.time_ns() // 1_000_000
    keys = new_ids(5000) + [new_id() for _ in range(100)] + new_ids(3) + [model_default()]
    after = time.time_ns() // 1_000_000
    assert all(k.version == 7 and k.variant == uuid.RFC_4122 for k in keys)
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert [k.hex for k in keys] == sorted(k.hex for k in keys)  # SQLite stores the hex digits: the same order
    assert all(before <= k.int >> 80 <= after + 1 for k in keys)
    assert uuid.UUID(keys[0].hex) == keys[0] and uuid.UUID(str(keys[-1])) == keys[-1]  # ordinary UUIDs


def test_pooled_keys_come_out_in_the_order_they_were_made():
    taken = [pooled_id() for _ in range(3000)]  # more than one refill of 1,024
    assert taken == sorted(taken) and len(set(taken)) == 3000


def test_threads_and_forked_children_never_share_a_key():
    got: list[list[uuid.UUID]] = []

    def make() -> None:
        got.append([new_id() for _ in range(2000)] + new_ids(2000))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    mine = [k for keys in got for k in keys]
    assert all(keys == sorted(keys) for keys in got)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its keys to the parent, then gone
        try:
            os.write(write, b"".join(k.bytes for k in new_ids(2000) + [pooled_id() for _ in range(100)]))
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    child = [uuid.UUID(bytes=data[i : i + 16]) for i in range(0, len(data), 16)]
    assert len(child) == 2100
    everything = mine + child + new_ids(2000)
    assert len(set(everything)) == len(everything)
