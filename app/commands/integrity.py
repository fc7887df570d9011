"""`counterdesk audit verify` (its output; the subcommand is declared in app.commands.core) and
`counterdesk check`: the store's own integrity check, every station's audit chain, and the
cross-checks of money records and number sequences against the chain."""

from __future__ import annotations

from app.commands.common import open_database, print_json
from app.kernel.messages import QT_TRANSLATE_NOOP


def _tr(text: str) -> str:
    from app.i18n import tr as translate  # (named so that lupdate does not read this call as a string to translate)

    return translate("cli", text)


def _problem_text(problem) -> str:
    from app.i18n import tr

    return problem.text(tr)


def _problem_json(problem) -> dict:
    return {
        "kind": problem.kind,
        "station_id": problem.station_id,
        "station": problem.station_code,
        "seq": problem.seq,
        "entry_id": problem.entry_id,
        "reason": problem.text(),
    }


def chain_lines(result) -> list[str]:
    """One line per station's chain: intact with its head, or where it breaks."""
    lines = []
    for c in result.chains:
        if c.problem is None:
            lines.append(
                _tr(QT_TRANSLATE_NOOP("cli", "  station {station}: {count} entries intact, head {seq} {hash}")).format(
                    station=c.station_code, count=c.checked, seq=c.seq, hash=c.hash
                )
            )
        else:
            p = c.problem
            where = _tr(QT_TRANSLATE_NOOP("cli", "entry {seq}")).format(seq=p.seq) if p.seq is not None else ""
            if p.entry_id:
                where += f" (id {p.entry_id})"
            lines.append(
                _tr(
                    QT_TRANSLATE_NOOP("cli", "  station {station}: BROKEN at {where}: {reason}; {count} entries before it are intact")
                ).format(station=c.station_code, where=where, reason=_problem_text(p), count=c.checked)
            )
    return lines


def other_problem_lines(problems) -> list[str]:
    return [f"  {_problem_text(p)}" for p in problems]


def register(sub) -> None:
    p = sub.add_parser(
        "check",
        help="check the store: the database's own integrity check, every station's audit chain, "
        "and money records and number sequences against the audit log",
    )
    p.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="FILE_OR_VALUE",
        help="compare the chains with an anchor kept outside the store: a backup's check file, a file holding "
        "STATION:SEQ:HASH lines, or such a value as printed on a shift or day report (repeatable)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)


def _anchors(args) -> list:
    from app.commands.common import CliError
    from app.services import integrity

    found = []
    for given in getattr(args, "anchor", None) or []:
        try:
            found += integrity.read_anchors(given)
        except ValueError as exc:
            raise CliError(
                QT_TRANSLATE_NOOP(
                    "cli", "--anchor: {given} cannot be used ({why}); give a backup's check file or STATION:SEQ:HASH as printed on a report"
                ),
                given=given,
                why=str(exc),
            ) from None
    return found


def run_check(db, anchors, database: bool):
    from app.services import integrity

    with db.read() as s:
        return integrity.check(s, anchors, database=database)


def report_output(report, as_json: bool, database: bool) -> None:
    result = report.chains
    others = [*report.store, *report.anchors, *report.records]
    if as_json:
        data = {
            "ok": report.ok,
            "checked": result.checked,
            "first_broken_seq": result.first_broken_seq,
            "first_broken_id": result.first_broken_id,
            "reason": result.reason,
            "station": result.station_code,
            "station_id": result.station_id,
            "chains": [
                {
                    "station_id": c.station_id,
                    "station": c.station_code,
                    "entries": c.checked,
                    "seq": c.seq,
                    "hash": c.hash,
                    "ok": c.problem is None,
                    "problem": _problem_json(c.problem) if c.problem else None,
                }
                for c in result.chains
            ],
            "coverage": report.coverage.__dict__,
            "problems": [_problem_json(p) for p in report.problems],
        }
        if database:
            data["database_ok"] = not report.store
        print_json(data)
        return
    if database:
        if report.store:
            print(_tr(QT_TRANSLATE_NOOP("cli", "database: DAMAGED")))
        else:
            print(_tr(QT_TRANSLATE_NOOP("cli", "database: its own integrity check passed")))
    if result.ok:
        print(
            _tr(QT_TRANSLATE_NOOP("cli", "audit log intact: {count} entries in {chains} chains")).format(
                count=result.checked, chains=len(result.chains)
            )
        )
    else:
        print(_tr(QT_TRANSLATE_NOOP("cli", "audit log BROKEN")))
    for line in chain_lines(result):
        print(line)
    cover = report.coverage
    print(
        _tr(
            QT_TRANSLATE_NOOP(
                "cli",
                "records checked against the log: {payments} payments, {bills} bills, {accounts} balances, "
                "{numbers} receipt and work-order numbers",
            )
        ).format(**cover.__dict__)
    )
    if cover.not_covered:
        print(
            _tr(QT_TRANSLATE_NOOP("cli", "  {count} records of stations whose chain is not in this store were not checked")).format(
                count=cover.not_covered
            )
        )
    if others:
        print(_tr(QT_TRANSLATE_NOOP("cli", "PROBLEMS ({count}):")).format(count=len(others)))
        for line in other_problem_lines(others):
            print(line)
    elif report.ok:
        print(_tr(QT_TRANSLATE_NOOP("cli", "no problems found")))


def cmd_audit_verify(args) -> int:
    anchors = _anchors(args)
    db = open_database(args)
    report = run_check(db, anchors, database=False)
    report_output(report, args.json, database=False)
    return 0 if report.ok else 1


def cmd_check(args) -> int:
    anchors = _anchors(args)
    db = open_database(args)
    report = run_check(db, anchors, database=True)
    report_output(report, args.json, database=True)
    return 0 if report.ok else 1


class backup_check:  # noqa: N801  (used like a function by app.db.backup.backup_to)
    """Checks a backup's copy (the database's own check, the chains, the cross-checks) and keeps the
    report for the command's output; returns what the backup's check file holds."""

    def __init__(self) -> None:
        self.report = None

    def __call__(self, copy) -> dict:
        from datetime import datetime, timezone

        from app.services import integrity

        self.report = integrity.check_sqlite_file(copy)
        return integrity.check_document(self.report, datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def output(self, made) -> int:
        """Says the result of the copy's check (and where its check file is); 1 when it found damage."""
        from app.db.backup import check_file_of

        report = self.report
        if report is None:
            return 0
        if report.ok:
            print(
                _tr(QT_TRANSLATE_NOOP("cli", "the copy was checked: no problems; its audit anchors are in {file}")).format(
                    file=check_file_of(made)
                )
            )
            return 0
        print(
            _tr(QT_TRANSLATE_NOOP("cli", "the copy was checked and has PROBLEMS ({count}); see {file}:")).format(
                count=len(report.problems), file=check_file_of(made)
            )
        )
        for line in other_problem_lines(report.problems):
            print(line)
        return 1
