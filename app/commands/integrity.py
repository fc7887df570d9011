"""`counterdesk audit verify` (its output; the subcommand is declared in app.commands.core) and
`counterdesk check`: the store's own integrity check, every station's audit chain, and the
cross-checks of money records and number sequences against the chain."""

from __future__ import annotations

from app.commands.common import open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP


def _tr(text: str) -> str:
    from app.i18n import tr

    return tr("cli", text)


def _problem_text(problem) -> str:
    from app.i18n import tr

    return problem.text(tr)


def _problem_json(problem) -> dict:
    return {"kind": problem.kind, "station_id": problem.station_id, "station": problem.station_code, "seq": problem.seq,
            "entry_id": problem.entry_id, "reason": problem.text()}


def chain_lines(result) -> list[str]:
    """One line per station's chain: intact with its head, or where it breaks."""
    lines = []
    for c in result.chains:
        if c.problem is None:
            lines.append(_tr(QT_TRANSLATE_NOOP("cli", "  station {station}: {count} entries intact, head {seq} {hash}")).format(
                station=c.station_code, count=c.checked, seq=c.seq, hash=c.hash))
        else:
            p = c.problem
            where = _tr(QT_TRANSLATE_NOOP("cli", "entry {seq}")).format(seq=p.seq) if p.seq is not None else ""
            if p.entry_id:
                where += f" (id {p.entry_id})"
            lines.append(_tr(QT_TRANSLATE_NOOP("cli", "  station {station}: BROKEN at {where}: {reason}; {count} entries before it are intact")).format(
                station=c.station_code, where=where, reason=_problem_text(p), count=c.checked))
    return lines


def other_problem_lines(problems) -> list[str]:
    lines = []
    for p in problems:
        if p.kind == "chain" or (p.kind == "store" and p.seq is not None):
            continue  # shown with its chain
        station = f"{p.station_code}: " if p.station_code else ""
        lines.append(f"  {station}{_problem_text(p)}")
    return lines


def verify_output(result, problems, as_json: bool) -> None:
    if as_json:
        print_json({"ok": result.ok and not problems, "checked": result.checked, "first_broken_seq": result.first_broken_seq,
                    "first_broken_id": result.first_broken_id, "reason": result.reason, "station": result.station_code,
                    "station_id": result.station_id,
                    "chains": [{"station_id": c.station_id, "station": c.station_code, "entries": c.checked, "seq": c.seq,
                                "hash": c.hash, "ok": c.problem is None,
                                "problem": _problem_json(c.problem) if c.problem else None} for c in result.chains],
                    "problems": [_problem_json(p) for p in [*result.problems, *problems]]})
        return
    if result.ok and not problems:
        print(_tr(QT_TRANSLATE_NOOP("cli", "audit log intact: {count} entries in {chains} chains")).format(
            count=result.checked, chains=len(result.chains)))
    else:
        print(_tr(QT_TRANSLATE_NOOP("cli", "audit log BROKEN")))
    for line in chain_lines(result):
        print(line)
    for line in other_problem_lines(problems):
        print(line)


def cmd_audit_verify(args) -> int:
    from app.services import audit

    db = open_database(args)
    with db.read() as s:
        result = audit.verify(s)
    verify_output(result, [], args.json)
    return 0 if result.ok else 1
