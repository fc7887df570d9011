"""Deterministic, realistic demo data: one county's customers, accounts, meters, routes, contacts.

`fill(db, customers, seed)` bulk-loads customers without ORM objects (1,000,000 in about
two minutes on SQLite: from 50,000 customers on, the rows are made in a second process while
this one writes), so it also feeds the benchmarks. `ensure_demo_store(db)` sets up
the demo station and DEMO_USERS on an empty store and fills a few thousand customers.

Other areas add demo bills, payments and matters by appending a function to
DEMO_FILLERS: fn(db: Database, rng: random.Random, actor: Actor) -> None, called after
the customers are in (only by ensure_demo_store, never on a real store).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Iterator

from sqlalchemy import func, select, text

from app.db.engine import Database
from app.kernel.context import Actor
from app.kernel.errors import UserError
from app.kernel.messages import QT_TRANSLATE_NOOP
from app.models import Customer
from app.services import auth
from app.services.validation import id_check_digit

DEMO_STATION = auth.StationInput("3301", "城东营业厅", "示范供电公司", "0571-95598", "临安区锦城街道城中街88号")
DEMO_USERS = [
    # (login, password, role, name, staff_no)
    ("admin", "admin123", "admin", "系统管理员", "0001"),
    ("zhangli", "clerk123", "clerk", "张丽", "1001"),
    ("wangqiang", "super123", "supervisor", "王强", "2001"),
]
DEMO_CUSTOMERS = 3000

DEMO_FILLERS: list[Callable[[Database, random.Random, Actor], None]] = []
# Modules whose fill(db, rng, actor) runs after the customers, in this order.
DEMO_FILLER_MODULES = [
    "app.services.billing.demo_data",
    "app.services.payments.demo_data",
    "app.services.handling.demo_data",
    "app.services.counter.demo_data",
]

# Surnames roughly by frequency (weights per 1000), given-name characters, and one county.
SURNAMES = [
    ("王", 72),
    ("李", 71),
    ("张", 67),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 23),
    ("赵", 22),
    ("吴", 20),
    ("周", 19),
    ("徐", 14),
    ("孙", 13),
    ("马", 12),
    ("朱", 12),
    ("胡", 11),
    ("郭", 10),
    ("何", 9),
    ("林", 9),
    ("高", 9),
    ("罗", 8),
    ("郑", 8),
    ("梁", 7),
    ("谢", 6),
    ("宋", 6),
    ("唐", 6),
    ("许", 6),
    ("韩", 5),
    ("冯", 5),
    ("邓", 5),
    ("曹", 5),
    ("彭", 5),
    ("曾", 4),
    ("肖", 4),
    ("田", 4),
    ("董", 4),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 3),
    ("叶", 3),
    ("程", 3),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 2),
    ("崔", 2),
    ("钟", 2),
    ("谭", 2),
    ("陆", 2),
    ("汪", 2),
    ("范", 2),
    ("金", 2),
    ("石", 2),
    ("廖", 2),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("方", 2),
    ("邹", 2),
    ("欧阳", 1),
    ("诸葛", 1),
    ("司马", 1),
]
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉力春梅海燕云飞鹏俊峰宇浩然晨阳欣怡"
    "佳琪子涵雨轩梓睿博文婷颖慧敏家豪晓东金凤德福永生淑珍秀兰玉梅建华荣海波成林小龙"
)
TOWNS = [
    "锦城街道",
    "锦北街道",
    "锦南街道",
    "玲珑街道",
    "青山湖街道",
    "高虹镇",
    "太湖源镇",
    "於潜镇",
    "天目山镇",
    "太阳镇",
    "潜川镇",
    "昌化镇",
    "河桥镇",
    "湍口镇",
    "清凉峰镇",
    "板桥镇",
    "龙岗镇",
    "岛石镇",
]
ROADS = [
    "城中街",
    "钱王大街",
    "衣锦街",
    "石镜街",
    "万马路",
    "苕溪南路",
    "广场路",
    "新溪街",
    "江桥路",
    "农林大路",
    "鹤亭街",
    "吴越街",
    "天目路",
    "西墅街",
    "环北路",
    "学林街",
    "南苑路",
    "兴隆街",
    "民主路",
    "长桥路",
]
VILLAGES = [
    "青云村",
    "杨岭村",
    "横溪村",
    "双庙村",
    "上田村",
    "桃源村",
    "金岫村",
    "新联村",
    "里畈村",
    "东坑村",
    "白沙村",
    "月亮桥村",
    "大山村",
    "石门村",
    "藻溪村",
    "紫溪村",
    "湖门村",
    "朱湾村",
    "仁里村",
    "双溪村",
]
COMPANIES = [
    "商贸有限公司",
    "五金厂",
    "农业专业合作社",
    "超市",
    "饭店",
    "竹制品厂",
    "茶叶有限公司",
    "物业管理有限公司",
    "汽车修理厂",
    "建材商行",
]
REGION_CODE = "330112"  # 临安区


@dataclass
class _Pinyin:
    table: dict[str, tuple[str, str]]

    def keys(self, name: str) -> tuple[str, str]:
        full, initials = [], []
        for part in _split_name(name):
            f, i = self.table[part]
            full.append(f)
            initials.append(i)
        return "".join(full), "".join(initials)


def _split_name(name: str) -> Iterator[str]:
    for s, _ in SURNAMES:
        if len(s) == 2 and name.startswith(s):
            yield s
            yield from name[2:]
            return
    yield from name


def _pinyin_table() -> _Pinyin:
    from pypinyin import Style, lazy_pinyin

    table = {}
    for s, _ in SURNAMES:
        syl = lazy_pinyin(s, style=Style.NORMAL)
        # Surnames with a special reading: 曾 zeng, 单 shan; lazy_pinyin reads 曾 as ceng.
        syl = ["zeng"] if s == "曾" else syl
        table[s] = ("".join(syl), "".join(x[0] for x in syl))
    for ch in set(GIVEN):
        syl = lazy_pinyin(ch, style=Style.NORMAL)
        table[ch] = (syl[0], syl[0][0])
    return _Pinyin(table)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _id_number(rng: random.Random) -> str:
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))
    first17 = f"{REGION_CODE}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_digit(first17)


def _mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + str(rng.randrange(0, 10)) + f"{rng.randrange(0, 10**8):08d}"


class _Writer:
    """Bulk rows into a table: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, conn, dialect: str) -> None:
        self.conn = conn
        self.pg = dialect == "postgresql"

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.pg:
            raw = self.conn.connection.dbapi_connection
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            self.conn.exec_driver_sql(sql, rows)  # ids already hex (_chunks(hex_ids=True))


CUSTOMER_COLS = [
    "id",
    "station_id",
    "kind",
    "name",
    "name_pinyin",
    "name_initials",
    "id_type",
    "id_number",
    "phone",
    "phone2",
    "address",
    "relationship_status",
    "vip_level",
    "credit_score",
    "documents_seen",
    "notes",
    "created_at",
    "updated_at",
    "version",
]
ACCOUNT_COLS = [
    "id",
    "account_no",
    "customer_id",
    "account_name",
    "service",
    "usage_category",
    "voltage_level",
    "contracted_capacity",
    "reading_route",
    "route_order",
    "transformer_area",
    "supply_address",
    "status",
    "household_size",
    "tariff_code",
    "tier_year_start",
    "tier_bound_extra",
    "free_quota",
    "balance_fen",
    "due_days",
    "opened_on",
    "created_at",
    "version",
]
METER_COLS = [
    "id",
    "account_id",
    "meter_no",
    "registers",
    "digits",
    "multiplier",
    "ct_ratio",
    "pt_ratio",
    "installed_on",
    "initial_reading",
    "status",
    "created_at",
    "version",
]
SEARCH_COLS = [
    "customer_id",
    "account_id",
    "account_no",
    "name",
    "name_pinyin",
    "name_initials",
    "phone",
    "phone_rev",
    "phone2_rev",
    "id_number",
    "id_rev",
    "address",
    "status",
]
CONTACT_COLS = ["id", "customer_id", "account_id", "station_id", "clerk_id", "at", "channel", "kind", "summary", "ref_id"]
CONTACT_TEXTS = [
    ("inquiry", "咨询阶梯电价的计算方法，已解释"),
    ("inquiry", "询问本月电费为何偏高，已核对读数"),
    ("payment", "柜台缴纳电费"),
    ("application", "咨询过户需要带的材料，已一次性告知"),
    ("inquiry", "询问计划停电时间"),
    ("opinion", "建议营业厅周末延长营业时间"),
]


def _chunks(customers: int, seed: int, start: int, station_id, clerk_id, hex_ids: bool, chunk: int = 5000) -> Iterator[tuple]:
    """The demo rows, `chunk` customers at a time: (customers, accounts, meters, search, contacts)
    row lists, ids as 32 hex digits for SQLite (`hex_ids`) or UUIDs for PostgreSQL. Deterministic
    per seed and the number of accounts already in the store (`start`)."""
    rng = random.Random(seed)
    py = _pinyin_table()
    surnames, weights = zip(*SURNAMES)
    cum = list(_cumulative(weights))
    now = datetime(2026, 1, 1, 8, 0)
    new_id = (lambda: _uuid(rng).hex) if hex_ids else (lambda: _uuid(rng))
    if hex_ids:
        station_id = station_id.hex if isinstance(station_id, uuid.UUID) else station_id
        clerk_id = clerk_id.hex if isinstance(clerk_id, uuid.UUID) else clerk_id
    account_serial = start
    route_counter: dict[int, int] = {}
    done = 0
    while done < customers:
        n = min(chunk, customers - done)
        c_rows, a_rows, m_rows, s_rows, k_rows = [], [], [], [], []
        for _ in range(n):
            cid = new_id()
            town_i = rng.randrange(len(TOWNS))
            town = TOWNS[town_i]
            enterprise = rng.random() < 0.06
            surname = rng.choices(surnames, cum_weights=cum)[0]
            person = surname + "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.35 else 2))
            if enterprise:
                name = f"临安{rng.choice(VILLAGES)[:-1]}{rng.choice(COMPANIES)}"
                full, initials = "", ""
                id_type, id_no = "org_code", f"91330185MA{rng.randrange(10**7):07d}X"
            else:
                name = person
                full, initials = py.keys(name)
                id_type, id_no = "resident_id", _id_number(rng)
            rural = town_i >= 5
            if rural:
                address = f"{town}{rng.choice(VILLAGES)}{rng.randrange(1, 12)}组{rng.randrange(1, 80)}号"
            else:
                address = f"{town}{rng.choice(ROADS)}{rng.randrange(1, 400)}号"
                if rng.random() < 0.5:
                    address += f"{rng.randrange(1, 30)}幢{rng.randrange(1, 6)}单元{rng.randrange(101, 1802)}室"
            phone = _mobile(rng) if rng.random() < 0.9 else f"0571-6{rng.randrange(10**6, 10**7):07d}"
            vip = "" if rng.random() > 0.004 else rng.choice(["special", "first", "second"])
            relationship = rng.choices(["long_term", "new", "former", "troublesome"], [80, 15, 4, 1])[0]
            c_rows.append(
                (
                    cid,
                    station_id,
                    "enterprise" if enterprise else "resident",
                    name,
                    full,
                    initials,
                    id_type,
                    id_no,
                    phone,
                    "",
                    address,
                    relationship,
                    vip,
                    rng.randrange(60, 100),
                    "",
                    "",
                    now,
                    now,
                    1,
                )
            )
            for k in range(2 if rng.random() < 0.08 else 1):
                account_serial += 1
                aid = new_id()
                water = k == 1
                route_key = town_i * 10 + (1 if water else 0)
                pos = route_counter.get(route_key, 0)
                route_counter[route_key] = pos + 1
                route = f"{'S' if water else 'D'}{town_i + 1:02d}{pos // 300 + 1:03d}"
                area = f"{address[: len(town) + 3]}{pos // 150 % 9 + 1}号台区"
                if water:
                    category, tariff, voltage, digits, mult, regs = "residential", "LA-WATER-RES", "", 5, 1, "total"
                elif enterprise:
                    category = rng.choice(["general_commercial", "general_commercial", "agriculture", "large_industry"])
                    tariff = {"general_commercial": "ZJ-COM-TOU", "agriculture": "ZJ-AGR", "large_industry": "ZJ-COM-TOU"}[category]
                    voltage, digits, mult, regs = (
                        "10kV" if category == "large_industry" else "380V",
                        8,
                        rng.choice([20, 30, 40, 60, 80, 120]),
                        "peak,flat,valley",
                    )
                else:
                    tou = rng.random() < 0.15
                    category, tariff, voltage, digits, mult = "residential", "ZJ-RES-TOU" if tou else "ZJ-RES-Y", "220V", 6, 1
                    regs = "peak,valley" if tou else "total"
                account_no = f"33{account_serial:08d}"
                a_rows.append(
                    (
                        aid,
                        account_no,
                        cid,
                        name,
                        "water" if water else "electricity",
                        category,
                        voltage or "—",
                        0,
                        route,
                        pos % 300 + 1,
                        area,
                        address,
                        "normal",
                        rng.choice([1, 2, 3, 3, 4, 5, 6]),
                        tariff,
                        None,
                        0,
                        0,
                        0,
                        15,
                        date(2010, 1, 1) + timedelta(days=rng.randrange(5000)),
                        now,
                        1,
                    )
                )
                m_rows.append(
                    (
                        new_id(),
                        aid,
                        f"{'5' if water else '3'}301{account_serial:09d}",
                        regs,
                        digits,
                        mult * 1000,
                        "" if mult == 1 else f"{mult * 5}/5",
                        "",
                        date(2015, 1, 1) + timedelta(days=rng.randrange(3000)),
                        rng.randrange(0, 5000) * 1000,
                        "active",
                        now,
                        1,
                    )
                )
                phone_digits = phone.replace("-", "")
                s_rows.append(
                    (
                        cid,
                        aid,
                        account_no,
                        name,
                        full,
                        initials,
                        phone_digits,
                        phone_digits[::-1],
                        "",
                        id_no,
                        id_no[::-1],
                        address,
                        "normal",
                    )
                )
            if rng.random() < 0.2:
                kind, summary = rng.choice(CONTACT_TEXTS)
                k_rows.append(
                    (new_id(), cid, None, station_id, clerk_id, now - timedelta(days=rng.randrange(365)), "counter", kind, summary, None)
                )
        done += n
        yield c_rows, a_rows, m_rows, s_rows, k_rows


def _produce(queue, args) -> None:
    """The producer process of a large load: the rows, chunk by chunk, then None."""
    try:
        for item in _chunks(*args):
            queue.put(item)
    finally:
        queue.put(None)


def _produced(args) -> Iterator[tuple]:
    """_chunks(*args) generated in another process while this one writes: the two cores overlap
    (the Python that makes a chunk takes longer than SQLite takes to store it)."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # no forked copy of this process's engine or Qt
    queue = ctx.Queue(maxsize=4)
    worker = ctx.Process(target=_produce, args=(queue, args), daemon=True)
    worker.start()
    import queue as queues

    try:
        while True:
            try:
                item = queue.get(timeout=1)
            except queues.Empty:
                if not worker.is_alive():  # died before it could say it was done
                    break
                continue
            if item is None:
                break
            yield item
    finally:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.terminate()
    if worker.exitcode not in (0, None):
        raise RuntimeError(f"demo data producer failed (exit code {worker.exitcode})")


PRODUCER_FROM = 50_000  # customers; a smaller load is over before a second process would have started


def fill(
    db: Database,
    customers: int,
    seed: int = 1,
    station_id: uuid.UUID | None = None,
    clerk_id: uuid.UUID | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `customers` demo customers (with accounts, meters, contacts and search rows). Deterministic per seed."""
    # One transaction per chunk: bounded WAL and memory, progress that is real.
    with db.engine.connect() as conn:
        dialect = conn.dialect.name
        sqlite = dialect == "sqlite"
        if sqlite:
            # Demo data may be lost in a power cut: fsync once at the end, not per chunk, and
            # fill the full-text index in one pass afterwards instead of row by row.
            raw = conn.connection.dbapi_connection
            raw.execute("PRAGMA synchronous=OFF")
            raw.execute("PRAGMA cache_size=-262144")  # 256 MB while loading; the counter runs with the default
        w = _Writer(conn, dialect)
        start = conn.execute(text("SELECT count(*) FROM accounts")).scalar_one()
        deferred: list[str] = []
        if sqlite:
            triggers = conn.execute(text("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='search_index'")).scalars().all()
            for name in ("search_index_ai", "search_index_ad", "search_index_au"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            if start == 0:
                # Into an empty store, secondary indexes are built once after the load (sorted, fast)
                # instead of row by row; unique constraints stay and keep checking every row.
                rows = conn.execute(
                    text(
                        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' "
                        "AND tbl_name IN ('customers', 'accounts', 'meters', 'search_index', 'contact_records')"
                    )
                ).all()
                for name, sql in rows:
                    conn.exec_driver_sql(f'DROP INDEX "{name}"')
                    deferred.append(sql)
        conn.commit()
        args = (customers, seed, start, station_id, clerk_id, sqlite)
        done = 0
        for c_rows, a_rows, m_rows, s_rows, k_rows in _produced(args) if customers >= PRODUCER_FROM else _chunks(*args):
            w.write("customers", CUSTOMER_COLS, c_rows)
            w.write("accounts", ACCOUNT_COLS, a_rows)
            w.write("meters", METER_COLS, m_rows)
            w.write("search_index", SEARCH_COLS, s_rows)
            w.write("contact_records", CONTACT_COLS, k_rows)
            conn.commit()
            done += len(c_rows)
            if progress:
                progress(done)
        if sqlite:
            for sql in deferred:
                conn.exec_driver_sql(sql)
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            for sql in triggers:
                conn.exec_driver_sql(sql)
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
        if sqlite:
            raw.execute("PRAGMA synchronous=FULL")
            raw.execute("PRAGMA cache_size=-2000")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return customers


def _cumulative(weights):
    total = 0
    for w in weights:
        total += w
        yield total


def count_customers(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def setup_demo_station(db: Database) -> Actor:
    """The demo station and DEMO_USERS on an empty store; returns the administrator."""
    login, password, _, name, _ = DEMO_USERS[0]
    admin = auth.initialize(db, DEMO_STATION, login, name, password)
    for login, password, role, name, staff_no in DEMO_USERS[1:]:
        auth.create_clerk(db, admin, login, name, password, role, staff_no)
    return admin


def ensure_demo_store(db: Database, customers: int = DEMO_CUSTOMERS, seed: int = 1) -> bool:
    """Fill an empty demo store on first use; returns True when it filled it."""
    if not auth.needs_setup(db):
        return False
    admin = setup_demo_station(db)
    clerk = auth.get_actor(db, DEMO_USERS[1][0])
    fill(db, customers, seed, station_id=admin.station_id, clerk_id=clerk.clerk_id)
    rng = random.Random(seed + 1)
    import importlib

    for name in DEMO_FILLER_MODULES:
        importlib.import_module(name).fill(db, rng, clerk)
    for filler in DEMO_FILLERS:
        filler(db, rng, clerk)
    return True


def fill_new_store(db: Database, customers: int, seed: int = 1, progress=None) -> Actor:
    """`counterdesk demo`: set up the demo station when the store is empty, then add customers."""
    if auth.needs_setup(db):
        admin = setup_demo_station(db)
    else:
        if count_customers(db):
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "messages", "This store already has customers; demo data goes into an empty store (use --db for a new file)."
                )
            )
        admin = auth.first_admin(db)
    clerk = auth.get_actor(db, DEMO_USERS[1][0]) if _has_login(db, DEMO_USERS[1][0]) else admin
    fill(db, customers, seed, station_id=admin.station_id, clerk_id=clerk.clerk_id, progress=progress)
    return admin


def _has_login(db: Database, login: str) -> bool:
    from app.models import Clerk

    with db.read() as s:
        return s.scalar(select(Clerk.id).where(Clerk.login == login)) is not None
