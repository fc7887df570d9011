"""Demo matters in various states (one overdue, a repeat complaint) and a planned outage (demo store only)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from app.db.engine import Database
from app.kernel.context import Actor
from app.models import Account
from app.services import auth
from app.services.handling import matters as mt
from app.services.handling import outages

REQUESTS = [
    ("inquiry", "", "咨询阶梯电价年度如何计算"),
    ("complaint", "business", "本月电费比上月高出一倍，怀疑抄表有误，要求核实"),
    ("complaint", "service", "上次来营业厅排队一个多小时无人引导"),
    ("fault", "", "家中整栋楼停电，请尽快派人抢修"),
    ("name_transfer", "", "房屋已过户，申请电费户名变更"),
    ("new_connection", "", "新建农房申请装表接电"),
    ("meter_check", "", "怀疑电表走得快，申请校验"),
    ("suggestion", "", "建议增加周末营业时间"),
]


def fill(db: Database, rng: random.Random, actor: Actor) -> None:
    with db.read() as s:
        accounts = s.execute(
            select(Account.customer_id, Account.id, Account.transformer_area).order_by(Account.account_no).limit(400)
        ).all()
    now = mt.local_now()
    registered = []
    for i in range(60):
        kind, ctype, text = rng.choice(REQUESTS)
        customer_id, account_id, _ = accounts[rng.randrange(len(accounts))]
        when = now - timedelta(days=rng.randrange(0, 12), hours=rng.randrange(0, 8))
        r = mt.register(
            db,
            actor,
            mt.MatterInput(type=kind, description=text, customer_id=customer_id, account_id=account_id, complaint_type=ctype),
            registered_local=when,
        )
        registered.append((kind, r))
    for kind, r in registered[:40]:
        steps = rng.randrange(0, 4)
        if kind == "inquiry":
            mt.answer_and_close(db, actor, r.matter_id, "已当场解释")
            continue
        if steps >= 1:
            mt.start(db, actor, r.matter_id)
        if steps >= 2:
            mt.resolve(db, actor, r.matter_id, "已现场核实处理")
        if steps >= 3:
            mt.reply(db, actor, r.matter_id, "已电话告知客户处理结果")
    # the same customer complains twice about billing: a repeat complaint
    customer_id, account_id, area = accounts[0]
    for text in ("电费计算有误", "电费问题仍未解决"):
        mt.register(
            db,
            actor,
            mt.MatterInput(type="complaint", complaint_type="business", description=text, customer_id=customer_id, account_id=account_id),
        )
    mt.escalate_overdue(db, actor)
    supervisor = auth.get_actor(db, "wangqiang")
    start = datetime.combine((now + timedelta(days=7)).date(), datetime.min.time()) + timedelta(hours=8)  # announced 7 days ahead
    outages.register_outage(db, supervisor, "", area, start, start + timedelta(hours=9), "10kV线路计划检修")
