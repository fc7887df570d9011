"""bench/common.py: a figure beside the machine's own limit, its ratio and floors, and the one table."""

from __future__ import annotations

import argparse

from bench.common import Figure, figure_table, finish


def test_a_time_meets_its_floor_only_when_both_the_ratio_and_the_absolute_hold():
    ok = Figure("search", "name, p95", 5.0, "ms", 1.6, "raw page", ratio_floor=4, absolute=16)
    assert round(ok.ratio, 3) == 3.125 and ok.met
    too_slow_for_the_machine = Figure("search", "name, p95", 7.0, "ms", 1.6, "raw page", ratio_floor=4, absolute=16)
    assert not too_slow_for_the_machine.met  # 4.4x the raw fetch, although under 16 ms
    too_slow_anyway = Figure("search", "name, p95", 17.0, "ms", 10.0, "raw page", ratio_floor=4, absolute=16)
    assert not too_slow_anyway.met  # 1.7x, but over the absolute floor
    no_limit_measured = Figure("search", "name, p95", 1.0, "ms", None, "raw page", ratio_floor=4)
    assert no_limit_measured.ratio is None and not no_limit_measured.met


def test_a_rate_meets_its_floor_from_below():
    issuing = Figure("billing", "bills/s", 2500, "/s", 6000, "raw insert", lower=False, ratio_floor=1 / 3, absolute=2000)
    assert issuing.met
    assert not Figure("billing", "bills/s", 1900, "/s", 3000, "raw insert", lower=False, ratio_floor=1 / 3, absolute=2000).met
    assert not Figure("billing", "bills/s", 2100, "/s", 9000, "raw insert", lower=False, ratio_floor=1 / 3, absolute=2000).met
    assert issuing.floor_text() == "≥ 0.33× and ≥ 2,000 /s"


def test_the_table_shows_result_limit_ratio_floor_and_the_exit_code_says_missed(capsys):
    figures = [
        Figure("payments", "SQLite p95", 30.0, "ms", 20.0, "receipt page + commit", ratio_floor=2, absolute=50),
        Figure("payments", "PostgreSQL payments/s", 150, "/s", 800, "commits", lower=False, absolute=200),
    ]
    table = figure_table(figures)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["bench", "what", "result"]
    assert "30.0 ms" in lines[2] and "20.0 ms (receipt page + commit)" in lines[2] and "1.50×" in lines[2] and lines[2].endswith("met")
    assert "0.19×" in lines[3] and lines[3].endswith("MISSED")
    assert finish(argparse.Namespace(json=False), figures) == 1
    assert "MISSED" in capsys.readouterr().out
    assert finish(argparse.Namespace(json=False), figures[:1]) == 0


def test_bench_all_reads_the_network_sync_figures_and_holds_them_to_the_issue_floors():
    import json

    from bench.all import _figures_from_json

    def figures(**over):
        data = dict(stations=50, errors=0, rows_per_s=3000, direct_rows_per_s=4000, exchange_p95_s=1.5, service_peak_rss_mb=200)
        data.update(all_applied=True, audit_ok=True)
        data.update(over)
        return {f.what: f for f in _figures_from_json("sync-network", "progress\n" + json.dumps(data))}

    assert all(f.met for f in figures().values())
    assert not figures(exchange_p95_s=2.5)["one station's exchange, p95"].met
    assert not figures(errors=1)["exchanges failed"].met
    assert not figures(rows_per_s=1999)["50 stations at once, changed rows/s end to end"].met
    assert not figures(service_peak_rss_mb=401)["service peak RSS"].met
    assert not figures(audit_ok=False)["all applied once, chains verified (1 = yes)"].met


def test_a_benchmark_after_another_reports_its_own_peak_memory():
    """bench all runs every benchmark in one process: the peak RSS starts again before each one."""
    from bench.common import peak_rss_mb, reset_peak_rss

    block = bytearray(120 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touched, so resident
    high = peak_rss_mb()
    del block
    reset_peak_rss()
    assert peak_rss_mb() < high - 100


def test_warm_store_reads_the_whole_store_file(tmp_path):
    """bench search and handling read the store through once before timing (bench.common.warm_store)."""
    from pathlib import Path

    from bench.common import warm_store

    store = tmp_path / "s.sqlite"
    store.write_bytes(b"x" * 3_000_000)

    def read_so_far() -> int:  # bytes this process has read with read() calls (/proc/self/io rchar)
        return int(next(line for line in Path("/proc/self/io").read_text().splitlines() if line.startswith("rchar")).split()[1])

    before = read_so_far()
    assert warm_store(f"sqlite:///{store}") >= 0
    assert read_so_far() - before >= 3_000_000
    assert warm_store("postgresql+psycopg://x@127.0.0.1/y") == 0.0  # nothing to read for a server
