"""Bank collection (代扣): mandates, the collection file sent to a bank, the bank's return applied.

A bank profile (resources/interfaces/banks/<CODE>.toml) says how the bank's files look: fixed width
(positions in bytes of the file's encoding) or CSV, the fields of the header record (H) and of the
detail records (D) of the collection file and of the return file, and what the bank's result codes
mean. `export_collection` writes what the accounts with a mandate at that bank owe for a period and
keeps each line; `apply_return` checks the whole return file first (the bank and period of a file
sent, never applied before, every line one of ours with the amount asked, the header's counts and
totals equal to the lines') and only then posts each collected amount as a payment with method
"bank" through the payment service (each with its own receipt number), in a shift of its own that
the import opens and closes. A file that does not add up posts nothing. Rules: docs/INTERFACES.md,
"Bank collection".
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import bindparam, func, insert, select, update

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import NotFound, PermissionDenied, UserError, ValidationError
from app.kernel.ids import new_id
from app.kernel.localtime import local_today
from app.kernel.masking import mask_name
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.kernel.money import from_fen
from app.kernel.outfile import write_bytes
from app.kernel.text import ascii_digits, check_text
from app.models import Account, BankBatch, BankBatchLine, BankMandate, Payment, Shift, utcnow
from app.paths import resource_path
from app.services import audit
from app.services.billing import bills as bill_service
from app.services.billing.readings import check_period
from app.services.interfaces.tabular import (
    FixedField,
    Row,
    Table,
    TabularError,
    decode,
    file_digest,
    file_error,
    fixed_row,
    read_fixed_lines,
)
from app.services.payments import posting

NUMERIC = {"seq", "count", "total", "amount", "collected_count", "collected_total"}
AMOUNTS = {"total", "amount", "collected_total"}
POST_BATCH = 500  # payments per unit of work when a return is posted
RESULTS = ("collected", "insufficient_funds", "closed_account", "refused")
RESULT_REASONS = {
    "insufficient_funds": QT_TRANSLATE_NOOP("messages", "Insufficient funds"),
    "closed_account": QT_TRANSLATE_NOOP("messages", "The bank account is closed"),
    "refused": QT_TRANSLATE_NOOP("messages", "Refused by the bank"),
}


# --- profiles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankProfile:
    code: str
    name: str
    layout: str  # fixed | csv
    encoding: str
    amounts: str  # fen | yuan
    file_pattern: str
    header: tuple[FixedField, ...]
    detail: tuple[FixedField, ...]
    return_header: tuple[FixedField, ...]
    return_detail: tuple[FixedField, ...]
    codes: dict[str, str]  # the bank's result code -> one of RESULTS

    def file_name(self, period: str) -> str:
        return self.file_pattern.format(period=period.replace("-", ""), bank=self.code)

    def result_of(self, code: str) -> str:
        return self.codes.get(code.strip(), "refused")


def profiles_dir() -> Path:
    return resource_path("interfaces", "banks")


def profile_codes() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.toml"))


def _fields(items) -> tuple[FixedField, ...]:
    out, start = [], 1
    for item in items:
        name, *rest = item
        width = int(rest[-1]) if rest else 0
        if len(rest) == 2:
            start = int(rest[0])
        out.append(FixedField(str(name), start, width))
        start += width
    return tuple(out)


@lru_cache(maxsize=32)
def load_profile(code: str) -> BankProfile:
    """The profile of a bank; KeyError when there is none."""
    path = profiles_dir() / f"{code}.toml"
    if not code or "/" in code or "\\" in code or not path.is_file():
        raise KeyError(code)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    codes = {}
    for result in RESULTS:
        for c in data.get("results", {}).get(result, []):
            codes[str(c)] = result
    header = _fields(data["header"]["fields"])
    detail = _fields(data["detail"]["fields"])
    return BankProfile(
        code=data.get("code", code),
        name=data.get("name", code),
        layout=data.get("layout", "fixed"),
        encoding=data.get("encoding", "gb18030"),
        amounts=data.get("amounts", "fen" if data.get("layout", "fixed") == "fixed" else "yuan"),
        file_pattern=data.get("file_name", "{bank}_{period}.txt"),
        header=header,
        detail=detail,
        return_header=_fields(data["return_header"]["fields"]),
        return_detail=_fields(data["return_detail"]["fields"]),
        codes=codes,
    )


def bank_choices() -> list[tuple[str, str]]:
    """(code, name) of every bank profile, for the mandate form."""
    return [(c, load_profile(c).name) for c in profile_codes()]


# --- mandates -------------------------------------------------------------------------------------


def mask_bank_account(number: str) -> str:
    """6222 **** **** 1234: the last four digits only, as screens and paper show it."""
    n = (number or "").replace(" ", "")
    if len(n) <= 4:
        return "*" * len(n)
    return "**** " + n[-4:]


@dataclass
class MandateInput:
    account_id: uuid.UUID | None
    bank: str = ""
    bank_account: str = ""
    holder: str = ""
    start_date: str = ""


@dataclass
class MandateRow:
    id: uuid.UUID
    account_no: str
    bank: str
    bank_name: str
    bank_account_masked: str
    holder: str
    start_date: date
    end_date: date | None


def add_mandate(db: Database, actor: Actor, customer_id: uuid.UUID, data: MandateInput, today: date | None = None) -> uuid.UUID:
    """A bank mandate for one of the customer's accounts (one active mandate per account)."""
    errors: dict[str, UserError] = {}
    bank = (data.bank or "").strip()
    if bank not in profile_codes():
        errors["bank"] = UserError(QT_TRANSLATE_NOOP("messages", "Choose one of the listed values."), field="bank")
    number = ascii_digits(data.bank_account or "").replace(" ", "").replace("-", "")
    if not number.isdigit() or not 12 <= len(number) <= 30:
        errors["bank_account"] = UserError(
            QT_TRANSLATE_NOOP("messages", "A bank account number has 12 to 30 digits."), field="bank_account"
        )
    holder = (data.holder or "").strip()
    if not holder:
        errors["holder"] = UserError(QT_TRANSLATE_NOOP("messages", "Enter the account holder's name."), field="holder")
    else:
        try:
            check_text(holder, "holder")
        except ValidationError as err:
            errors["holder"] = err.errors["holder"]
    start = None
    try:
        start = date.fromisoformat(ascii_digits(data.start_date or "").strip())
    except ValueError:
        errors["start_date"] = UserError(QT_TRANSLATE_NOOP("messages", "Enter a date as YYYY-MM-DD."), field="start_date")
    if data.account_id is None:
        errors["account"] = UserError(QT_TRANSLATE_NOOP("messages", "Choose the account."), field="account")
    if errors:
        raise ValidationError(errors)
    with db.write() as s:
        account = s.get(Account, data.account_id)
        if account is None or account.customer_id != customer_id:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This account no longer exists."))
        if account.status == "closed":
            raise ValidationError.single(
                "account", QT_TRANSLATE_NOOP("messages", "Account {account_no} is closed."), account_no=account.account_no
            )
        current = s.scalars(select(BankMandate).where(BankMandate.account_id == account.id, BankMandate.end_date.is_(None))).all()
        for old in current:  # a new mandate replaces the account's current one from its start
            old.end_date = max(old.start_date, start - timedelta(days=1))
            audit.record(s, actor, "end", "bank_mandate", old.id, after={"end_date": old.end_date})
        mandate = BankMandate(
            station_id=actor.station_id,
            customer_id=customer_id,
            account_id=account.id,
            bank=bank,
            bank_account=number,
            holder=holder[:100],
            start_date=start,
            created_by=actor.clerk_id,
        )
        s.add(mandate)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "bank_mandate",
            mandate.id,
            after={
                "account_no": account.account_no,
                "bank": bank,
                "bank_account": mask_bank_account(number),
                "holder": mask_name(holder),
                "start_date": start,
            },
        )
        return mandate.id


def end_mandate(db: Database, actor: Actor, mandate_id: uuid.UUID, end_date: str) -> date:
    """End a mandate on `end_date` (YYYY-MM-DD, not before its start): its account is collected up to
    that day and no longer after it. Audited with the end date; an ended mandate stays on the file."""
    try:
        end = date.fromisoformat(ascii_digits(end_date or "").strip())
    except ValueError:
        raise ValidationError.single("end_date", QT_TRANSLATE_NOOP("messages", "Enter a date as YYYY-MM-DD.")) from None
    with db.write() as s:
        mandate = s.get(BankMandate, mandate_id, with_for_update=True)
        if mandate is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "This mandate no longer exists."))
        if mandate.end_date is not None:
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "This mandate has ended already (on {end_date})."), end_date=mandate.end_date.isoformat()
            )
        if end < mandate.start_date:
            raise ValidationError.single(
                "end_date",
                QT_TRANSLATE_NOOP("messages", "A mandate cannot end before it starts ({start_date})."),
                start_date=mandate.start_date.isoformat(),
            )
        mandate.end_date = end
        account_no = s.scalar(select(Account.account_no).where(Account.id == mandate.account_id))
        audit.record(
            s,
            actor,
            "end",
            "bank_mandate",
            mandate.id,
            before={"end_date": None},
            after={
                "account_no": account_no,
                "bank": mandate.bank,
                "bank_account": mask_bank_account(mandate.bank_account),
                "end_date": end,
            },
        )
    return end


def customer_mandates(db: Database, customer_id: uuid.UUID) -> list[MandateRow]:
    names = dict(bank_choices())
    with db.read() as s:
        rows = s.execute(
            select(BankMandate, Account.account_no)
            .join(Account, Account.id == BankMandate.account_id)
            .where(BankMandate.customer_id == customer_id)
            .order_by(BankMandate.end_date.is_not(None), Account.account_no, BankMandate.start_date.desc())
        ).all()
        return [
            MandateRow(m.id, no, m.bank, names.get(m.bank, m.bank), mask_bank_account(m.bank_account), m.holder, m.start_date, m.end_date)
            for m, no in rows
        ]


# --- the collection file --------------------------------------------------------------------------


def _period_bounds(period: str) -> tuple[date, date]:
    first = date(int(period[:4]), int(period[5:7]), 1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _cell(profile: BankProfile, f: FixedField, value) -> str:
    if f.name in AMOUNTS:
        value = str(value) if profile.amounts == "fen" else f"{from_fen(value)}"
    return str(value)


def _record(profile: BankProfile, fields: tuple[FixedField, ...], values: dict) -> bytes:
    if profile.layout == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([_cell(profile, f, values.get(f.name, "")) for f in fields])
        return out.getvalue().encode(profile.encoding)
    line = b""
    for f in fields:
        text = _cell(profile, f, values.get(f.name, ""))
        if f.name in NUMERIC:
            raw = text.rjust(f.width, "0").encode(profile.encoding)
        else:
            raw = text.encode(profile.encoding)
            while len(raw) > f.width:  # cut a long name on a character boundary
                text = text[:-1]
                raw = text.encode(profile.encoding)
            raw = raw.ljust(f.width, b" ")
        if len(raw) > f.width:
            raise ValueError(f"{f.name} does not fit {f.width} bytes")
        line = line.ljust(f.start - 1, b" ") + raw
    return line


def _file_bytes(profile: BankProfile, period: str, lines: list[dict]) -> bytes:
    total = sum(line["amount"] for line in lines)
    out = [
        _record(
            profile,
            profile.header,
            {"record": "H", "bank": profile.code, "period": period.replace("-", ""), "count": len(lines), "total": total},
        )
    ]
    if profile.layout == "csv":
        out.insert(0, ",".join(f.name for f in profile.header).encode(profile.encoding))
        out.insert(2, ",".join(f.name for f in profile.detail).encode(profile.encoding))
    for line in lines:
        out.append(_record(profile, profile.detail, {"record": "D"} | line))
    return b"\r\n".join(out) + b"\r\n"


def return_bytes(profile: BankProfile, period: str, answers: list[dict]) -> bytes:
    """The return file a bank sends for `answers` (the collection file's lines, each with the bank's
    result `code`): what tests and the benchmark use in place of a bank."""
    collected = [a for a in answers if profile.result_of(a["code"]) == "collected"]
    head = {
        "record": "H",
        "bank": profile.code,
        "period": period.replace("-", ""),
        "count": len(answers),
        "total": sum(a["amount"] for a in answers),
        "collected_count": len(collected),
        "collected_total": sum(a["amount"] for a in collected),
    }
    out = [_record(profile, profile.return_header, head)]
    if profile.layout == "csv":
        out.insert(0, ",".join(f.name for f in profile.return_header).encode(profile.encoding))
        out.append(",".join(f.name for f in profile.return_detail).encode(profile.encoding))
    for a in answers:
        out.append(_record(profile, profile.return_detail, {"record": "D", "result": a["code"]} | a))
    return b"\r\n".join(out) + b"\r\n"


def collection_lines(db: Database, batch_id: uuid.UUID) -> list[dict]:
    """The lines of a collection file as sent (seq, account_no, bank_account, holder, amount in fen)."""
    with db.read() as s:
        return [
            dict(seq=q, account_no=a, bank_account=b, holder=h, amount=m)
            for q, a, b, h, m in s.execute(
                select(
                    BankBatchLine.seq, BankBatchLine.account_no, BankBatchLine.bank_account, BankBatchLine.holder, BankBatchLine.amount_fen
                )
                .where(BankBatchLine.batch_id == batch_id)
                .order_by(BankBatchLine.seq)
            )
        ]


@dataclass
class ExportResult:
    batch_id: uuid.UUID
    path: Path
    lines: int
    total_fen: int
    again: bool


def export_collection(
    db: Database, actor: Actor, bank: str, period: str, target: Path, force: bool = False, today: date | None = None
) -> ExportResult:
    """Write the collection file of `bank` for `period`: every account with a mandate at that bank in
    force in the period, with what it owes today (open bills' principal and late fees). Made once per
    bank and period; asked again, the same file is written again from the lines kept."""
    try:
        profile = load_profile(bank)
    except KeyError:
        raise ValidationError.single("bank", QT_TRANSLATE_NOOP("messages", "No bank profile {bank}."), bank=bank) from None
    check_period(period)
    today = today or local_today()
    first, last = _period_bounds(period)
    with db.read() as s:
        batch = s.scalar(select(BankBatch).where(BankBatch.bank == profile.code, BankBatch.period == period))
        if batch is not None:
            kept = s.execute(
                select(
                    BankBatchLine.seq, BankBatchLine.account_no, BankBatchLine.bank_account, BankBatchLine.holder, BankBatchLine.amount_fen
                )
                .where(BankBatchLine.batch_id == batch.id)
                .order_by(BankBatchLine.seq)
            ).all()
            lines = [dict(seq=q, account_no=a, bank_account=b, holder=h, amount=m) for q, a, b, h, m in kept]
            write_bytes(Path(target), _file_bytes(profile, period, lines), force, field="out")
            return ExportResult(batch.id, Path(target), batch.lines, batch.total_fen, True)
    with db.write() as s:
        mandates = s.execute(
            select(BankMandate.account_id, BankMandate.bank_account, BankMandate.holder)
            .join(Account, Account.id == BankMandate.account_id)
            .where(
                BankMandate.bank == profile.code,
                BankMandate.start_date <= last,
                (BankMandate.end_date.is_(None)) | (BankMandate.end_date >= first),
                Account.status != "closed",
            )
        ).all()
        by_account = {a: (b, h) for a, b, h in mandates}  # a later mandate of the same account wins (ordered below)
        accounts: list[Account] = []
        ids = list(by_account)
        for i in range(0, len(ids), 500):
            accounts.extend(s.scalars(select(Account).where(Account.id.in_(ids[i : i + 500]))).all())
        accounts.sort(key=lambda a: a.account_no)
        owed: dict[uuid.UUID, int] = {}
        for i in range(0, len(accounts), 500):
            part = accounts[i : i + 500]
            for account_id, rows in bill_service._open_bills_of(s, part, today).items():  # noqa: SLF001 (the bulk form of owed_in)
                owed[account_id] = sum(outstanding + fee for _b, outstanding, fee in rows)
        batch = BankBatch(
            station_id=actor.station_id,
            bank=profile.code,
            period=period,
            file_name=Path(target).name[:260],
            file_sha256="",
            exported_by=actor.clerk_id,
        )
        s.add(batch)
        s.flush()
        lines = []
        for a in accounts:
            amount = owed.get(a.id, 0)
            if amount <= 0:
                continue
            number, holder = by_account[a.id]
            lines.append(
                dict(seq=len(lines) + 1, account_no=a.account_no, bank_account=number, holder=holder, amount=amount, account_id=a.id)
            )
        data = _file_bytes(profile, period, lines)
        batch.file_sha256 = hashlib.sha256(data).hexdigest()
        batch.lines = len(lines)
        batch.total_fen = sum(line["amount"] for line in lines)
        if lines:
            s.execute(
                insert(BankBatchLine.__table__),
                [
                    dict(
                        id=new_id(),
                        batch_id=batch.id,
                        seq=line["seq"],
                        account_id=line["account_id"],
                        account_no=line["account_no"],
                        bank_account=line["bank_account"],
                        holder=line["holder"],
                        amount_fen=line["amount"],
                        result="",
                        payment_id=None,
                        receipt_no="",
                    )
                    for line in lines
                ],
            )
        audit.record(
            s,
            actor,
            "export",
            "bank_batch",
            batch.id,
            after={
                "bank": profile.code,
                "period": period,
                "lines": batch.lines,
                "total": from_fen(batch.total_fen),
                "sha256": batch.file_sha256,
            },
        )
        # written before the commit: a file that cannot be written leaves no batch behind
        write_bytes(Path(target), data, force, field="out")
        return ExportResult(batch.id, Path(target), batch.lines, batch.total_fen, False)


# --- the return file ------------------------------------------------------------------------------

M_NOT_A_RETURN = QT_TRANSLATE_NOOP("messages", "{file}, line {line}: not a return file of any known bank (profiles: {known}).")
M_NO_BATCH = QT_TRANSLATE_NOOP(
    "messages", "{file}, line {line}: no collection file was sent to {bank} for {period}; this return file is for another bank or period."
)
M_APPLIED = QT_TRANSLATE_NOOP(
    "messages", "{file}: the return of {bank} for {period} was applied already ({when}); nothing is posted twice."
)
M_RECORD = QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: a record of type “{value}” where {expected} was expected.")
M_COUNT = QT_TRANSLATE_NOOP(
    "messages",
    "{file}, line {line}, column {column}: the header says {expected} lines, the file has {count}; the file seems cut off. Nothing is posted.",
)
M_TOTAL = QT_TRANSLATE_NOOP(
    "messages", "{file}, line {line}, column {column}: the header says {expected} yuan, the lines add up to {total}. Nothing is posted."
)
M_NOT_ASKED = QT_TRANSLATE_NOOP(
    "messages",
    "{file}, line {line}, column {column}: line {seq} for account {account_no} was not in the collection file sent. Nothing is posted.",
)
M_AMOUNT_ASKED = QT_TRANSLATE_NOOP(
    "messages", "{file}, line {line}, column {column}: {amount} yuan where {asked} yuan was asked. Nothing is posted."
)
M_TWICE = QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: line {seq} is answered twice. Nothing is posted.")
M_MISSING = QT_TRANSLATE_NOOP(
    "messages", "{file}: {count} accounts of the collection file have no answer (first: line {seq}). Nothing is posted."
)
M_ACCOUNT_CLOSED = QT_TRANSLATE_NOOP(
    "messages", "{file}, line {line}: account {account_no} is closed now; its collection cannot be posted. Nothing is posted."
)
M_OPEN_SHIFT = QT_TRANSLATE_NOOP("messages", "Close your counter shift first: a bank return is posted in a shift of its own.")
M_NOT_POSTED = QT_TRANSLATE_NOOP(
    "messages", "{file}: {count} collected amounts could not be posted ({reason}); run the import again to finish."
)


@dataclass
class _ReturnLine:
    line: int
    seq: int
    account_no: str
    amount_fen: int
    code: str
    result: str


@dataclass
class _Return:
    profile: BankProfile
    path: Path
    bank: str
    period: str
    count: int
    total_fen: int
    collected_count: int
    collected_fen: int
    header_line: int
    lines: list[_ReturnLine]


def _amount_fen(profile: BankProfile, row, name: str) -> int:
    if profile.amounts == "fen":
        value = row.number(name, places=0)
        return int(value)
    return row.fen(name)


def _int(row, name: str) -> int:
    return int(row.number(name, places=0))


def _period_text(row, name: str) -> str:
    text = row.required(name).replace("-", "")
    if len(text) != 6 or not text.isdigit():
        raise row.error(
            name,
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}, column {column}: “{value}” is not a period (YYYYMM)."),
            value=text[:20],
        )
    return f"{text[:4]}-{text[4:]}"


def _rows_of(profile: BankProfile, path: Path):
    """(line, kind, Row) for each record; kind 'H' or 'D' as the record says."""
    if profile.layout == "fixed":
        for line, raw in read_fixed_lines(path, profile.encoding):
            kind = raw[:1].decode("ascii", "replace")
            fields = profile.return_header if kind == "H" else profile.return_detail
            yield line, kind, fixed_row(path, line, raw, fields, profile.encoding)
        return
    text, _enc = decode(path, path.read_bytes(), None)
    if not text.endswith(("\n", "\r")):
        raise file_error(
            QT_TRANSLATE_NOOP("messages", "{file}, line {line}: the last line has no line end; the file seems cut off."),
            path,
            text.count("\n") + 1,
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        if not any(c.strip() for c in cells) or cells[0].strip() not in ("H", "D"):
            continue  # column titles and empty lines
        kind = cells[0].strip()
        fields = profile.return_header if kind == "H" else profile.return_detail
        table = Table(path=path, kind="csv", header=[f.name for f in fields], positions={f.name: i for i, f in enumerate(fields)})
        if len(cells) != len(fields):
            raise file_error(
                QT_TRANSLATE_NOOP("messages", "{file}, line {line}: {count} cells where the header has {expected}."),
                path,
                reader.line_num,
                count=len(cells),
                expected=len(fields),
            )
        yield reader.line_num, kind, Row(path.name, reader.line_num, [c.strip() for c in cells], table)


def _detect(path: Path) -> BankProfile:
    """The profile whose header record (H) names its own bank: read from the file's first lines only,
    so that a file cut further down is still told apart (and then refused for being cut)."""
    with open(path, "rb") as f:
        head = f.read(4096).removeprefix(b"\xef\xbb\xbf")
    first_lines = [raw.rstrip(b"\r") for raw in head.split(b"\n")[:4] if raw.strip()]
    for code in profile_codes():
        profile = load_profile(code)
        for raw in first_lines:
            if profile.layout == "fixed":
                f = next((f for f in profile.return_header if f.name == "bank"), None)
                if (
                    raw[:1] == b"H"
                    and f
                    and raw[f.start - 1 : f.start - 1 + f.width].decode(profile.encoding, "replace").strip() == profile.code
                ):
                    return profile
            else:
                cells = next(csv.reader([raw.decode(profile.encoding, "replace")]), [])
                if len(cells) > 1 and cells[0].strip() == "H" and cells[1].strip() == profile.code:
                    return profile
    raise file_error(M_NOT_A_RETURN, path, 1, known=", ".join(profile_codes()))


def read_return(path: Path | str) -> _Return:
    """Parse and check a return file against itself (header against lines)."""
    path = Path(path)
    if not path.is_file():
        raise file_error(QT_TRANSLATE_NOOP("messages", "{file}: cannot be read ({reason})."), path, reason="not found")
    profile = _detect(path)
    header = None
    lines: list[_ReturnLine] = []
    for line, kind, row in _rows_of(profile, path):
        if header is None:
            if kind != "H":
                raise row.error("record", M_RECORD, value=kind, expected="H")
            header = (
                line,
                row.text("bank"),
                _period_text(row, "period"),
                _int(row, "count"),
                _amount_fen(profile, row, "total"),
                _int(row, "collected_count"),
                _amount_fen(profile, row, "collected_total"),
                row,
            )
            continue
        if kind != "D":
            raise row.error("record", M_RECORD, value=kind, expected="D")
        code = row.required("result")
        lines.append(
            _ReturnLine(
                line, _int(row, "seq"), row.required("account_no"), _amount_fen(profile, row, "amount"), code, profile.result_of(code)
            )
        )
    if header is None:
        raise file_error(QT_TRANSLATE_NOOP("messages", "{file}: the file is empty."), path)
    hline, bank, period, count, total, c_count, c_total, hrow = header
    if count != len(lines):
        raise hrow.error("count", M_COUNT, expected=count, count=len(lines))
    if total != sum(x.amount_fen for x in lines):
        raise hrow.error("total", M_TOTAL, expected=from_fen(total), total=from_fen(sum(x.amount_fen for x in lines)))
    collected = [x for x in lines if x.result == "collected"]
    if c_count != len(collected):
        raise hrow.error("collected_count", M_COUNT, expected=c_count, count=len(collected))
    if c_total != sum(x.amount_fen for x in collected):
        raise hrow.error("collected_total", M_TOTAL, expected=from_fen(c_total), total=from_fen(sum(x.amount_fen for x in collected)))
    return _Return(profile, path, bank, period, count, total, c_count, c_total, hline, lines)


@dataclass
class Refusal:
    seq: int
    account_no: str
    holder: str
    amount_fen: int
    result: str

    @property
    def reason(self) -> str:
        return RESULT_REASONS.get(self.result, RESULT_REASONS["refused"])


@dataclass
class ApplyResult:
    batch_id: uuid.UUID
    file_name: str
    bank: str
    period: str
    collected_count: int
    collected_fen: int
    refused_count: int
    refused_fen: int
    first_receipt: str
    last_receipt: str
    refusals: list[Refusal]


@lru_cache(maxsize=1)
def _set_line():
    t = BankBatchLine.__table__
    return (
        update(t)
        .where(t.c.id == bindparam("l_id"))
        .values(result=bindparam("l_result"), payment_id=bindparam("l_payment"), receipt_no=bindparam("l_receipt"))
    )


def apply_return(db: Database, actor: Actor, path: Path | str, progress=None) -> ApplyResult:
    """Check the whole return file, then post its collected amounts (see the module's rules)."""
    if actor.role not in ("clerk", "supervisor", "admin"):
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only a clerk can take payments."))
    path = Path(path)
    ret = read_return(path)
    digest = file_digest(path)
    with db.read() as s:
        batch = s.scalar(select(BankBatch).where(BankBatch.bank == ret.bank, BankBatch.period == ret.period))
        if batch is None:
            raise file_error(M_NO_BATCH, path, ret.header_line, bank=ret.bank, period=ret.period)
        if batch.status == "applied" or (batch.return_sha256 and batch.return_sha256 != digest):
            raise file_error(M_APPLIED, path, bank=ret.bank, period=ret.period, when=str(batch.applied_at or batch.exported_at)[:16])
        asked = {
            seq: (lid, aid, no, holder, amount)
            for lid, seq, aid, no, holder, amount in s.execute(
                select(
                    BankBatchLine.id,
                    BankBatchLine.seq,
                    BankBatchLine.account_id,
                    BankBatchLine.account_no,
                    BankBatchLine.holder,
                    BankBatchLine.amount_fen,
                ).where(BankBatchLine.batch_id == batch.id)
            )
        }
        closed = set(
            s.scalars(
                select(Account.account_no)
                .join(BankBatchLine, BankBatchLine.account_id == Account.id)
                .where(BankBatchLine.batch_id == batch.id, Account.status == "closed")
            )
        )
        open_shift = s.scalar(select(Shift.id).where(Shift.clerk_id == actor.clerk_id, Shift.status == "open"))
        batch_id, resuming = batch.id, batch.status == "applying"
    answered: set[int] = set()
    hrow_file = path.name
    for x in ret.lines:
        place = dict(file=hrow_file, line=x.line)
        if x.seq not in asked or asked[x.seq][2] != x.account_no:
            raise TabularError(M_NOT_ASKED, field="seq", column="seq", seq=x.seq, account_no=x.account_no, **place)
        if x.seq in answered:
            raise TabularError(M_TWICE, field="seq", column="seq", seq=x.seq, **place)
        answered.add(x.seq)
        if x.amount_fen != asked[x.seq][4]:
            raise TabularError(
                M_AMOUNT_ASKED, field="amount", column="amount", amount=from_fen(x.amount_fen), asked=from_fen(asked[x.seq][4]), **place
            )
        if x.result == "collected" and x.account_no in closed:
            raise TabularError(M_ACCOUNT_CLOSED, account_no=x.account_no, column="", **place)
    missing = sorted(set(asked) - answered)
    if missing:
        raise file_error(M_MISSING, path, count=len(missing), seq=missing[0])
    if open_shift is not None and not resuming:
        raise UserError(M_OPEN_SHIFT)
    # The file adds up: claim it (a second import of it, or of another return for this batch, is refused from now on)
    with db.write() as s:
        b = s.get(BankBatch, batch_id, with_for_update=True)
        if b.status == "applied" or (b.return_sha256 and b.return_sha256 != digest):
            raise file_error(M_APPLIED, path, bank=ret.bank, period=ret.period, when=str(b.applied_at)[:16])
        b.status = "applying"
        b.return_file_name = path.name[:260]
        b.return_sha256 = digest
        audit.record(s, actor, "apply_start", "bank_batch", b.id, after={"file": path.name, "sha256": digest, "lines": len(ret.lines)})
    if open_shift is None:
        posting.open_shift(db, actor, "0")
    collected = [x for x in ret.lines if x.result == "collected"]
    posted: dict[int, posting.Posted] = {}
    failures: list[UserError] = []
    # Batches of POST_BATCH payments, each one unit of work (all of it or none); the file was checked
    # whole above, and every payment's key names the batch and line, so a run cut short and run again
    # posts what is missing and nothing twice.
    for i in range(0, len(collected), POST_BATCH):
        part = collected[i : i + POST_BATCH]
        items = [
            posting.BatchPayment(
                asked[x.seq][1], str(from_fen(asked[x.seq][4])), f"bank:{batch_id}:{x.seq}", f"{ret.bank} {ret.period} #{x.seq}"
            )
            for x in part
        ]
        try:
            for x, p in zip(part, posting.post_payments(db, actor, items, "bank")):
                posted[x.seq] = p
        except UserError as err:
            failures.append(err)
            break
        if progress:
            progress(min(i + POST_BATCH, len(collected)), len(collected))
    if failures:
        raise UserError(M_NOT_POSTED, file=path.name, count=len(collected) - len(posted), reason=failures[0].text())
    with db.write() as s:
        ids = [p.payment_id for p in posted.values()]
        total = 0
        for i in range(0, len(ids), 500):
            total += s.scalar(select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(Payment.id.in_(ids[i : i + 500]))) or 0
        refused = [x for x in ret.lines if x.result != "collected"]
        refused_fen = sum(x.amount_fen for x in refused)
        if total != ret.collected_fen or total + refused_fen != ret.total_fen:
            raise UserError(
                QT_TRANSLATE_NOOP("messages", "{file}: the payments posted ({posted} yuan) do not agree with the file ({collected} yuan)."),
                file=path.name,
                posted=from_fen(total),
                collected=from_fen(ret.collected_fen),
            )
        updates = []
        for x in ret.lines:
            p = posted.get(x.seq)
            updates.append(
                {
                    "l_id": asked[x.seq][0],
                    "l_result": x.result,
                    "l_payment": p.payment_id if p else None,
                    "l_receipt": p.receipt_no if p else "",
                }
            )
        for i in range(0, len(updates), 5000):
            s.execute(_set_line(), updates[i : i + 5000])
        b = s.get(BankBatch, batch_id, with_for_update=True)
        b.status = "applied"
        b.collected_count, b.collected_fen = len(collected), total
        b.refused_count, b.refused_fen = len(refused), refused_fen
        b.applied_by, b.applied_at = actor.clerk_id, utcnow()
        audit.record(
            s,
            actor,
            "apply",
            "bank_batch",
            b.id,
            after={
                "file": path.name,
                "collected": len(collected),
                "collected_total": from_fen(total),
                "refused": len(refused),
                "refused_total": from_fen(refused_fen),
            },
        )
    posting.close_shift(db, actor, {}, {}, note=f"{ret.bank} {ret.period}")
    receipts = sorted(p.receipt_no for p in posted.values())
    return ApplyResult(
        batch_id,
        path.name,
        ret.bank,
        ret.period,
        len(collected),
        total,
        len(refused),
        refused_fen,
        receipts[0] if receipts else "",
        receipts[-1] if receipts else "",
        [Refusal(x.seq, x.account_no, asked[x.seq][3], x.amount_fen, x.result) for x in refused],
    )


def refusals(db: Database, period: str | None = None) -> list[tuple[str, str, Refusal]]:
    """(bank, period, refusal) of applied returns, for dunning: the accounts the bank did not pay."""
    with db.read() as s:
        q = (
            select(
                BankBatch.bank,
                BankBatch.period,
                BankBatchLine.seq,
                BankBatchLine.account_no,
                BankBatchLine.holder,
                BankBatchLine.amount_fen,
                BankBatchLine.result,
            )
            .join(BankBatch, BankBatch.id == BankBatchLine.batch_id)
            .where(BankBatch.status == "applied", BankBatchLine.result.in_(("insufficient_funds", "closed_account", "refused")))
            .order_by(BankBatch.period, BankBatch.bank, BankBatchLine.seq)
        )
        if period:
            q = q.where(BankBatch.period == period)
        return [(bank, p, Refusal(seq, no, holder, amount, result)) for bank, p, seq, no, holder, amount, result in s.execute(q)]


def mandate_accounts(db: Database, customer_id: uuid.UUID) -> list[tuple[uuid.UUID, str, str]]:
    """(account id, account no., supply address) of the customer's open accounts, for the mandate form."""
    with db.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                select(Account.id, Account.account_no, Account.supply_address)
                .where(Account.customer_id == customer_id, Account.status != "closed")
                .order_by(Account.account_no)
            )
        ]
