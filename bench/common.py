"""Shared pieces of the benchmarks: percentiles, peak RSS, the machine, a demo store to reuse."""

from __future__ import annotations

import os
import platform
import resource
import statistics
from pathlib import Path


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    if not s:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "max": 0.0}

    def pct(p: float) -> float:
        return s[min(len(s) - 1, int(round(p * (len(s) - 1))))]

    return {"n": len(s), "p50": pct(0.50), "p95": pct(0.95), "max": s[-1], "mean": statistics.fmean(s)}


def peak_rss_mb() -> float:
    """Peak resident memory of this process since it started or since reset_peak_rss(): Linux's
    VmHWM (KiB); where there is none, getrusage's lifetime peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Start this process's peak RSS again from what it holds now (Linux: clear_refs 5), so a
    benchmark run after others in one process (`bench all`) reports its own peak, not theirs."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def default_store(customers: int) -> Path:
    from app.paths import data_dir

    return data_dir() / f"bench-{customers}.sqlite"


def warm_store(url: str) -> float:
    """Read a SQLite store's files through once, so the operating system holds them in its page cache
    as it does on a counter that has worked with the store for a while; returns the seconds it took.
    A benchmark of steady work otherwise measures the disk whenever another benchmark (or the
    machine's host) has pushed the store out of the cache since it was last read: on a VM, after the
    billing and reports benchmarks, the phone- and ID-tail searches' p95 went from 1.6 to 18-20 ms
    and the raw page limit from 1.3 to 2.4 ms (docs/BENCHMARKS.md, 2026-11-30 10:23). The limit is
    measured after the same read, so the two stand on the same footing."""
    import time

    if not url.startswith("sqlite:///"):
        return 0.0
    path = Path(url.removeprefix("sqlite:///"))
    started = time.perf_counter()
    for suffix in ("", "-wal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            with open(part, "rb", buffering=0) as f:
                while f.read(1 << 22):
                    pass
    return time.perf_counter() - started


# --- result, limit, ratio and floor -------------------------------------------------------------
#
# Every benchmark measures, in the same run, the limit it competes with on this machine (a raw
# indexed fetch, one PDF page, one synchronous commit, a raw executemany of the same rows) and
# reports each figure as a Figure: its result, that limit, the ratio of the two and the floor it
# must meet (a ratio, and where the issue sets one an absolute figure too). `bench all` gathers
# the figures of every benchmark it runs into one table.

_collected: list = []


class Figure:
    """One measured figure beside the machine's own limit.

    `lower` is True for times (lower is better: met when ratio <= max_ratio and result <= absolute)
    and False for rates (met when ratio >= min_ratio and result >= absolute).
    """

    def __init__(
        self,
        bench: str,
        what: str,
        result: float,
        unit: str,
        limit: float | None = None,
        limit_what: str = "",
        *,
        lower: bool = True,
        ratio_floor: float | None = None,
        absolute: float | None = None,
    ) -> None:
        self.bench, self.what, self.result, self.unit = bench, what, float(result), unit
        self.limit, self.limit_what, self.lower = (None if limit is None else float(limit)), limit_what, lower
        self.ratio_floor, self.absolute = ratio_floor, absolute

    @property
    def ratio(self) -> float | None:
        if not self.limit:
            return None
        return self.result / self.limit

    @property
    def met(self) -> bool:
        ok = True
        if self.ratio_floor is not None:
            if self.ratio is None:
                ok = False
            else:
                ok &= self.ratio <= self.ratio_floor if self.lower else self.ratio >= self.ratio_floor
        if self.absolute is not None:
            ok &= self.result <= self.absolute if self.lower else self.result >= self.absolute
        return ok

    def floor_text(self) -> str:
        sign = "≤" if self.lower else "≥"
        parts = []
        if self.ratio_floor is not None:
            parts.append(f"{sign} {round(self.ratio_floor, 2):g}×")
        if self.absolute is not None:
            parts.append(f"{sign} {_num(self.absolute)} {self.unit}")
        return " and ".join(parts) or "—"

    def as_dict(self) -> dict:
        return {
            "bench": self.bench,
            "what": self.what,
            "result": round(self.result, 3),
            "unit": self.unit,
            "limit": None if self.limit is None else round(self.limit, 3),
            "limit_what": self.limit_what,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "floor": self.floor_text(),
            "met": self.met,
        }


def _num(v: float) -> str:
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"  # small figures keep three significant digits (0.00412 s, not 0.00)


def figure_table(figures: list[Figure]) -> str:
    """The figures as one plain-text table: result, limit, ratio, floor, met."""
    head = ("bench", "what", "result", "limit (this machine, same run)", "ratio", "floor", "")
    rows = []
    for f in figures:
        limit = f"{_num(f.limit)} {f.unit} ({f.limit_what})" if f.limit is not None else "—"
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        rows.append((f.bench, f.what, f"{_num(f.result)} {f.unit}", limit, ratio, f.floor_text(), "met" if f.met else "MISSED"))
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths).rstrip())
    return "\n".join(lines)


def finish(args, figures: list[Figure], report: dict | None = None) -> int:
    """Print a benchmark's figures (a table, or JSON with --json) and return its exit code:
    0 when every floor is met, 1 when one is missed. `bench all` collects the figures too."""
    import json

    _collected.extend(figures)
    ok = all(f.met for f in figures)
    if getattr(args, "json", False):
        out = dict(report or {})
        out["figures"] = [f.as_dict() for f in figures]
        out["met"] = ok
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        print(figure_table(figures))
    return 0 if ok else 1


def collected() -> list[Figure]:
    return list(_collected)


def timed_ms(fn, runs: int) -> list[float]:
    """Milliseconds of `runs` calls of fn()."""
    import time

    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out
