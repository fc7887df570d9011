"""Deadlines from the time-limit data file, on the working-day calendar (docs/DOMAIN.md: 限时办结).

The file (resources/handling/time_limits.toml, or the administrator's copy in
`<data dir>/handling/time_limits.toml`) gives each matter type one rule, or for a type whose limit
depends on the case (new connection: residential / low-voltage non-residential / high-voltage single
or dual source; fault report: urban / rural / remote) a set of scopes with a default. A rule is
`working_days = N`, `hours = N` or `minutes = N`, optionally with `contact_hours = N`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from app.kernel.errors import UserError, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.handling import kinds
from app.services.handling.calendar import WorkCalendar, default_calendar
from app.services.handling.datafiles import Checker, cached, locate, read_toml

SEVERITIES = tuple(kinds.SEVERITIES)
UNITS = ("working_days", "hours", "minutes")
RULE_KEYS = UNITS + ("contact_hours",)
SCOPE_KEYS = RULE_KEYS + ("label", "usage_categories", "min_kv", "address_words")
LIMIT_FILE = ("handling", "time_limits.toml")


@dataclass(frozen=True)
class Deadline:
    at: datetime  # station-local
    contact_by: datetime | None
    unknown_years: tuple[int, ...]  # calendar years used that neither the library nor an override knows
    rule: str  # e.g. "5 working days" / "24 hours" / "45 minutes"
    count: int = 0
    unit: str = ""  # "working_days" | "hours" | "minutes"
    scope: str = ""  # the variant of the type's limit ("" when the type has one limit)


@dataclass(frozen=True)
class Scope:
    name: str
    rule: dict
    label: str = ""  # from the file, for scopes the program has no name for
    usage_categories: tuple[str, ...] = ()
    min_kv: float | None = None
    address_words: tuple[str, ...] = ()

    def matches(self, usage_category: str, voltage_kv: float | None, address: str) -> bool:
        """Chosen by default when every condition it has holds; a scope with no condition is chosen by hand."""
        tests = []
        if self.usage_categories:
            tests.append(usage_category in self.usage_categories)
        if self.min_kv is not None:
            tests.append(voltage_kv is not None and voltage_kv >= self.min_kv)
        if self.address_words:
            tests.append(any(w in (address or "") for w in self.address_words))
        return bool(tests) and all(tests)


@dataclass(frozen=True)
class Limits:
    path: Path
    types: dict  # type -> rule dict, or for scoped types {"default_scope": name, "scopes": {name: Scope}}
    complaint_severity: dict

    def scopes(self, matter_type: str) -> dict[str, Scope]:
        return self.types.get(matter_type, {}).get("scopes", {})

    def default_scope(self, matter_type: str) -> str:
        return self.types.get(matter_type, {}).get("default_scope", "")


def _rule(c: Checker, table, key: str) -> dict:
    table = c.table(table, key)
    units = [u for u in UNITS if u in table]
    if len(units) != 1:
        raise c.fail(
            key, QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” needs exactly one of working_days, hours or minutes.")
        )
    rule = {units[0]: c.whole(table[units[0]], f"{key}.{units[0]}", 1, 10_000)}
    if "contact_hours" in table:
        rule["contact_hours"] = c.whole(table["contact_hours"], f"{key}.contact_hours", 1, 10_000)
    return rule


def _scope(c: Checker, name: str, table, key: str) -> Scope:
    table = c.table(table, key)
    c.unknown_keys(table, key, SCOPE_KEYS)
    min_kv = table.get("min_kv")
    if min_kv is not None and (isinstance(min_kv, bool) or not isinstance(min_kv, (int, float)) or min_kv < 0):
        raise c.fail(
            f"{key}.min_kv", QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” must be a number of kilovolts such as 1 or 0.4.")
        )
    return Scope(
        name,
        _rule(c, {k: v for k, v in table.items() if k in RULE_KEYS}, key),
        c.text_value(table["label"], f"{key}.label") if "label" in table else "",
        tuple(c.text_list(table["usage_categories"], f"{key}.usage_categories")) if "usage_categories" in table else (),
        float(min_kv) if min_kv is not None else None,
        tuple(c.text_list(table["address_words"], f"{key}.address_words")) if "address_words" in table else (),
    )


def read_limits(path: Path) -> Limits:
    """The time-limit file, checked: every matter type has a rule (or scopes with a default), every
    number is a whole number, and no key is unknown (a misspelt key would otherwise be ignored)."""
    known = kinds.names()  # the vocabulary's kinds: each needs its rule, no other may appear
    data, text = read_toml(path)
    c = Checker(path, text)
    c.unknown_keys(data, "", ("types", "complaint_severity"))
    if "types" not in data:
        raise c.missing("types")
    raw = c.table(data["types"], "types")
    c.unknown_keys(raw, "types", known)
    types: dict = {}
    for t in known:
        key = f"types.{t}"
        if t not in raw:
            raise c.missing(key)
        entry = c.table(raw[t], key)
        if "scopes" in entry or "default_scope" in entry:
            c.unknown_keys(entry, key, ("default_scope", "scopes"))
            if "scopes" not in entry:
                raise c.missing(f"{key}.scopes")
            scopes = {
                name: _scope(c, name, value, f"{key}.scopes.{name}") for name, value in c.table(entry["scopes"], f"{key}.scopes").items()
            }
            if not scopes:
                raise c.missing(f"{key}.scopes")
            if "default_scope" not in entry:
                raise c.missing(f"{key}.default_scope")
            default = c.text_value(entry["default_scope"], f"{key}.default_scope")
            if default not in scopes:
                raise c.fail(
                    f"{key}.default_scope",
                    QT_TRANSLATE_NOOP("messages", "{file}, line {line}: “{key}” is “{value}”, which is not one of its scopes: {allowed}."),
                    value=default,
                    allowed=", ".join(scopes),
                )
            types[t] = {"default_scope": default, "scopes": scopes}
        else:
            c.unknown_keys(entry, key, RULE_KEYS)
            types[t] = _rule(c, entry, key)
    severity = {}
    if "complaint_severity" in data:
        raw_sev = c.table(data["complaint_severity"], "complaint_severity")
        c.unknown_keys(raw_sev, "complaint_severity", SEVERITIES)
        for s, value in raw_sev.items():
            c.unknown_keys(c.table(value, f"complaint_severity.{s}"), f"complaint_severity.{s}", RULE_KEYS)
            severity[s] = _rule(c, value, f"complaint_severity.{s}")
    return Limits(path, types, severity)


def limits_path() -> Path:
    """The administrator's `<data dir>/handling/time_limits.toml` when there is one, else the shipped file."""
    return locate(*LIMIT_FILE)


def load_limits(path: str | Path | None = None) -> Limits:
    p = Path(path) if path else limits_path()
    return cached(f"limits:{p}:{','.join(kinds.names())}", [p], lambda: read_limits(p))


def scopes_of(matter_type: str, limits: Limits | None = None) -> list[str]:
    """The scopes a type's limit depends on, in the file's order ([] for a type with one limit)."""
    return list((limits or load_limits()).scopes(matter_type))


def scope_label(matter_type: str, scope: str, translate, limits: Limits | None = None) -> str:
    if not scope:
        return ""
    try:
        s = (limits or load_limits()).scopes(matter_type).get(scope)
    except UserError:  # a damaged file must not stop a receipt: the program's own name, or the key
        s = None
    if s is not None and s.label:
        return s.label
    text = kinds.scope_source(matter_type, scope)
    return translate(kinds.LABEL_CONTEXT, text) if text else scope


_VOLTAGE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(k?)v", re.I)


def voltage_kv(text: str) -> float | None:
    """ "10kV" -> 10.0, "220V" -> 0.22, "0.4kV" -> 0.4; None when the text names no voltage."""
    m = _VOLTAGE.search(text or "")
    if not m:
        return None
    value = float(m.group(1))
    return value if m.group(2) else value / 1000


def default_scope(
    matter_type: str, usage_category: str = "", voltage_level: str = "", address: str = "", limits: Limits | None = None
) -> str:
    """The scope an account suggests: the first scope in the file whose conditions (usage_categories,
    min_kv, address_words) the account meets, else the type's default_scope; "" for a type with one limit."""
    lim = limits or load_limits()
    scopes = lim.scopes(matter_type)
    if not scopes:
        return ""
    kv = voltage_kv(voltage_level)
    for s in scopes.values():
        if s.matches(usage_category, kv, address):
            return s.name
    return lim.default_scope(matter_type)


def limit_for(matter_type: str, severity: str = "general", limits: Limits | None = None, scope: str = "") -> tuple[dict, str]:
    """The rule and the scope it came from."""
    limits = limits or load_limits()
    if matter_type not in limits.types:
        raise ValidationError.single("type", QT_TRANSLATE_NOOP("messages", "Unknown matter type “{type}”."), type=matter_type)
    if severity not in SEVERITIES:
        raise ValidationError.single("severity", QT_TRANSLATE_NOOP("messages", "Unknown severity “{severity}”."), severity=severity)
    scopes = limits.scopes(matter_type)
    if scopes:
        chosen = scope or limits.default_scope(matter_type)
        if chosen not in scopes:
            raise ValidationError.single(
                "scope",
                QT_TRANSLATE_NOOP("messages", "“{scope}” is not a scope of this matter type; choose one of: {allowed}."),
                scope=scope,
                allowed=", ".join(scopes),
            )
        return scopes[chosen].rule, chosen
    if scope:
        raise ValidationError.single("scope", QT_TRANSLATE_NOOP("messages", "This matter type has one time limit; a scope does not apply."))
    kind = kinds.find(matter_type)
    if kind is not None and kind.severities:
        return limits.complaint_severity.get(severity, limits.types[matter_type]), ""
    return limits.types[matter_type], ""


RULE_TEXT = {"working_days": "{n} working days", "hours": "{n} hours", "minutes": "{n} minutes"}  # the history note (data)
RULE_LABELS = {
    "working_days": QT_TRANSLATE_NOOP("deadlines", "%1 working days"),
    "hours": QT_TRANSLATE_NOOP("deadlines", "%1 hours"),
    "minutes": QT_TRANSLATE_NOOP("deadlines", "%1 minutes"),
}


def rule_label(count: int, unit: str, translate) -> str:
    """A time limit in the reader's language ("5 个工作日"); translate(context, text) is Qt's or the CLI's."""
    text = RULE_LABELS.get(unit)
    return (translate("deadlines", text) if text else "%1 " + unit).replace("%1", str(count))


def compute(
    matter_type: str,
    registered: datetime,
    severity: str = "general",
    calendar: WorkCalendar | None = None,
    limits: Limits | None = None,
    scope: str = "",
) -> Deadline:
    """`registered` is station-local. N working days: the end of the N-th working day after the day of
    registration; N hours / minutes: that long after registration."""
    rule, chosen = limit_for(matter_type, severity, limits, scope)
    cal = calendar or default_calendar()
    unit = next(u for u in UNITS if u in rule)
    n = int(rule[unit])
    before = set(cal.unknown_years_seen)
    cal.unknown_years_seen.clear()
    try:
        if unit == "working_days":
            at = datetime.combine(cal.nth_working_day_after(registered.date(), n), time(23, 59, 59))
        else:
            at = registered + timedelta(**{unit: n})
        contact = registered + timedelta(hours=int(rule["contact_hours"])) if "contact_hours" in rule else None
    except OverflowError:
        raise ValidationError.single(
            "registered_at",
            QT_TRANSLATE_NOOP(
                "messages", "The deadline would fall after 9999-12-31, beyond the dates the calendar can compute; check the date."
            ),
        ) from None
    finally:
        unknown = tuple(sorted(cal.unknown_years_seen))
        cal.unknown_years_seen.update(before)
    return Deadline(at, contact, unknown, RULE_TEXT[unit].format(n=n), n, unit, chosen)
