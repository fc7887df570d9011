"""Stations, clerks, first-run setup, log-in with lock-out after repeated failures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from app.db.engine import Database
from app.kernel.context import ROLES, Actor
from app.kernel.errors import AuthError, NotFound, PermissionDenied, UserError, ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Clerk, Station, utcnow
from app.services import audit

MAX_FAILED_LOGINS = 5
MIN_PASSWORD = 6

# Interactive log-in cost: about 20 ms here, well above what an offline guesser wants.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_for(clerk: Clerk, station: Station) -> Actor:
    return Actor(clerk.id, clerk.name, clerk.staff_no, clerk.role, station.id, station.code, station.name)


def needs_setup(db: Database) -> bool:
    """True on an empty store: no clerk exists yet, so the first-run setup must run."""
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Clerk)) == 0


@dataclass
class StationInput:
    code: str
    name: str
    company_name: str = ""
    hall_phone: str = ""
    address: str = ""


def _check_station(data: StationInput) -> None:
    errors = {}
    if not data.code.strip() or not data.code.strip().isalnum() or len(data.code.strip()) > 16:
        errors["station_code"] = UserError(QT_TRANSLATE_NOOP("messages", "The station code is 1 to 16 letters or digits."))
    if not data.name.strip():
        errors["station_name"] = UserError(QT_TRANSLATE_NOOP("messages", "Enter the station's name."))
    if errors:
        raise ValidationError(errors)


def _check_new_clerk(login: str, name: str, password: str, role: str, staff_no: str) -> None:
    errors = {}
    if not login.strip() or len(login) > 40 or not login.replace("_", "").replace(".", "").isalnum():
        errors["login"] = UserError(QT_TRANSLATE_NOOP("messages", "A login name is 1 to 40 letters, digits, dots or underscores."))
    if not name.strip() or len(name) > 60:
        errors["name"] = UserError(QT_TRANSLATE_NOOP("messages", "Enter the clerk's name (at most 60 characters)."))
    if len(password) < MIN_PASSWORD:
        errors["password"] = UserError(QT_TRANSLATE_NOOP("messages", "A password has at least {count} characters."), count=MIN_PASSWORD)
    if role not in ROLES:
        errors["role"] = UserError(QT_TRANSLATE_NOOP("messages", "Unknown role “{role}”."), role=role)
    if not staff_no.strip() or len(staff_no) > 20:
        errors["staff_no"] = UserError(QT_TRANSLATE_NOOP("messages", "Enter the staff number (at most 20 characters)."))
    if errors:
        raise ValidationError(errors)


# The first-start wizard checks each field as it is typed (app.services.first_start.new_station_errors).
check_station = _check_station
check_new_clerk = _check_new_clerk


def initialize(db: Database, station: StationInput, admin_login: str, admin_name: str, admin_password: str) -> Actor:
    """First-run setup: the station and its administrator, in one transaction."""
    _check_station(station)
    _check_new_clerk(admin_login, admin_name, admin_password, "admin", "0001")
    with db.write() as s:
        if s.scalar(select(func.count()).select_from(Clerk)):
            raise UserError(QT_TRANSLATE_NOOP("messages", "This store is already set up; log in instead."))
        st = Station(
            code=station.code.strip(),
            name=station.name.strip(),
            company_name=station.company_name.strip(),
            hall_phone=station.hall_phone.strip(),
            address=station.address.strip(),
        )
        s.add(st)
        s.flush()
        clerk = Clerk(
            station_id=st.id,
            login=admin_login.strip(),
            name=admin_name.strip(),
            staff_no="0001",
            role="admin",
            password_hash=hash_password(admin_password),
        )
        s.add(clerk)
        s.flush()
        actor = actor_for(clerk, st)
        audit.record(s, actor, "setup", "station", st.id, after={"code": st.code, "name": st.name})
        audit.record(s, actor, "create", "clerk", clerk.id, after={"login": clerk.login, "role": "admin"})
        return actor


def create_clerk(
    db: Database,
    actor: Actor,
    login: str,
    name: str,
    password: str,
    role: str = "clerk",
    staff_no: str = "",
    station_id: uuid.UUID | None = None,
    department: str = "",
) -> uuid.UUID:
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can add clerks."))
    _check_new_clerk(login, name, password, role, staff_no)
    with db.write() as s:
        if s.scalar(select(Clerk.id).where(Clerk.login == login.strip())):
            raise ValidationError.single("login", QT_TRANSLATE_NOOP("messages", "The login name “{login}” is taken."), login=login)
        if s.scalar(select(Clerk.id).where(Clerk.staff_no == staff_no.strip())):
            raise ValidationError.single(
                "staff_no", QT_TRANSLATE_NOOP("messages", "The staff number “{staff_no}” is taken."), staff_no=staff_no
            )
        clerk = Clerk(
            station_id=station_id or actor.station_id,
            login=login.strip(),
            name=name.strip(),
            staff_no=staff_no.strip(),
            role=role,
            password_hash=hash_password(password),
            department=department,
        )
        s.add(clerk)
        s.flush()
        audit.record(s, actor, "create", "clerk", clerk.id, after={"login": clerk.login, "role": role, "staff_no": clerk.staff_no})
        return clerk.id


def renumber_clerk(db: Database, actor: Actor, login_name: str, staff_no: str) -> str:
    """An administrator gives a clerk another staff number (unique in the store, as at the centre,
    which holds every station's clerks). Receipts and reports printed before keep the number they
    printed; the change is audited with both numbers. Returns the number it had."""
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can change a staff number."))
    new = (staff_no or "").strip()
    if not new or len(new) > 20:
        raise ValidationError.single("staff_no", QT_TRANSLATE_NOOP("messages", "Enter the staff number (at most 20 characters)."))
    with db.write() as s:
        clerk = s.scalar(select(Clerk).where(Clerk.login == (login_name or "").strip()).with_for_update())
        if clerk is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "No clerk has the login name “{login}”."), login=login_name)
        old = clerk.staff_no
        if old == new:
            return old
        if s.scalar(select(Clerk.id).where(Clerk.staff_no == new)):
            raise ValidationError.single("staff_no", QT_TRANSLATE_NOOP("messages", "The staff number “{staff_no}” is taken."), staff_no=new)
        clerk.staff_no = new
        clerk.version += 1
        audit.record(s, actor, "renumber", "clerk", clerk.id, before={"staff_no": old}, after={"login": clerk.login, "staff_no": new})
        return old


# One message for an unknown login, a deactivated one, a locked one and a wrong password: nothing a
# guesser reads tells whether a login exists. Whether a login is locked or deactivated is said only
# to someone who typed its right password.
WRONG_LOGIN = QT_TRANSLATE_NOOP("messages", "Wrong login name or password. After {count} wrong passwords in a row a login is locked.")
WRONG_SUPERVISOR = QT_TRANSLATE_NOOP(
    "messages", "Wrong supervisor login name or password. After {count} wrong passwords in a row a login is locked."
)
LOCKED = QT_TRANSLATE_NOOP("messages", "This login is locked after {count} wrong passwords; ask an administrator to unlock it.")
DEACTIVATED = QT_TRANSLATE_NOOP("messages", "This login has been deactivated; ask an administrator.")

# Checked when the login name is unknown, so an unknown name costs the same time as a known one.
_DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(uuid.uuid4().hex)
    return _DUMMY_HASH


def _authenticate(s, login_name: str, password: str, wrong: str, channel: str = "") -> tuple[Clerk, Actor]:
    """The clerk and actor for a right password of an active, unlocked login, else AuthError.

    A wrong password of an existing, active, unlocked login is counted (kept even though the caller's
    unit of work fails) and locks the login at MAX_FAILED_LOGINS; the message is the same as for an
    unknown login, so the count of tries left is never shown."""
    clerk = s.scalar(select(Clerk).where(Clerk.login == (login_name or "").strip()))
    if clerk is None:
        password_matches(_dummy_hash(), password or "")
        raise AuthError(wrong, count=MAX_FAILED_LOGINS)
    right = password_matches(clerk.password_hash, password or "")
    if not right:
        if clerk.active and clerk.locked_at is None:
            actor = actor_for(clerk, s.get(Station, clerk.station_id))
            clerk.failed_logins += 1
            locked = clerk.failed_logins >= MAX_FAILED_LOGINS
            if locked:
                clerk.locked_at = utcnow()
            after = {"failed_logins": clerk.failed_logins, "locked": locked}
            if channel:
                after["channel"] = channel
            audit.record(s, actor, "login_failed", "clerk", clerk.id, after=after)
            s.commit()
        raise AuthError(wrong, count=MAX_FAILED_LOGINS)
    if not clerk.active:
        raise AuthError(DEACTIVATED)
    if clerk.locked_at is not None:
        raise AuthError(LOCKED, count=MAX_FAILED_LOGINS)
    if clerk.failed_logins:
        clerk.failed_logins = 0
    return clerk, actor_for(clerk, s.get(Station, clerk.station_id))


def login(db: Database, login_name: str, password: str, channel: str = "") -> Actor:
    """The actor for a right password; counts failures and locks after MAX_FAILED_LOGINS. `channel`
    ("command line") is written into the audit entry when the log-in is not the window's."""
    with db.write() as s:
        clerk, actor = _authenticate(s, login_name, password, WRONG_LOGIN, channel)
        audit.record(s, actor, "login", "clerk", clerk.id, after={"channel": channel} if channel else None)
        return actor


def verify_supervisor(db: Database, login_name: str, password: str) -> Actor:
    """A supervisor's approval typed into a clerk's dialog (reversals, waivers, sign-offs). Wrong
    passwords count towards the supervisor's lock-out like log-ins, so they cannot be guessed here."""
    with db.write() as s:
        clerk, actor = _authenticate(s, login_name, password, WRONG_SUPERVISOR)
        if clerk.role not in ("supervisor", "admin"):
            raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "{name} is not a supervisor."), name=clerk.name)
        return actor


def unlock(db: Database, actor: Actor, login_name: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(QT_TRANSLATE_NOOP("messages", "Only an administrator can unlock a login."))
    with db.write() as s:
        clerk = s.scalar(select(Clerk).where(Clerk.login == login_name))
        if clerk is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "No clerk has the login name “{login}”."), login=login_name)
        clerk.failed_logins = 0
        clerk.locked_at = None
        audit.record(s, actor, "unlock", "clerk", clerk.id)


def get_actor(db: Database, login_name: str) -> Actor:
    """The actor for a login name without a password (CLI runs as a named clerk)."""
    with db.read() as s:
        clerk = s.scalar(select(Clerk).where(Clerk.login == login_name))
        if clerk is None:
            raise NotFound(QT_TRANSLATE_NOOP("messages", "No clerk has the login name “{login}”."), login=login_name)
        return actor_for(clerk, s.get(Station, clerk.station_id))


def first_admin(db: Database) -> Actor | None:
    with db.read() as s:
        clerk = s.scalar(select(Clerk).where(Clerk.role == "admin").order_by(Clerk.created_at))
        return actor_for(clerk, s.get(Station, clerk.station_id)) if clerk else None
