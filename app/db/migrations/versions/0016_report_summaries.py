"""reports: summary tables kept with the transactions, filled here from the existing rows

Collections per station-local day, station, clerk and method; bills, collected principal (by the day
it was collected), sales lines and meters read per period and the account's service and route
(app/models/reports.py). The reports read these instead of a year of transactions; the writers keep
them in the same unit of work (app/services/reports/summaries.py), `counterdesk integrity` checks them.

Revision ID: 0016_report_summaries
Revises: 0015_report_indexes
"""
from alembic import op
import sqlalchemy as sa

revision = "0016_report_summaries"
down_revision = "0015_report_indexes"
branch_labels = None
depends_on = None

HIGH_USAGE_FACTOR = 3  # app.services.billing.readings.HIGH_USAGE_FACTOR when this was written


def _keyed(name: str, keys: list, values: list) -> None:
    op.create_table(name, *keys, *values, sa.PrimaryKeyConstraint(*[c.name for c in keys], name=f"pk_{name}"))


def _dims() -> list:
    return [sa.Column("period", sa.String(7), nullable=False), sa.Column("service", sa.String(16), nullable=False), sa.Column("route", sa.String(20), nullable=False)]


def upgrade() -> None:
    _keyed(
        "report_collections",
        [
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("station_id", sa.Uuid(), nullable=False),
            sa.Column("clerk_id", sa.Uuid(), nullable=False),
            sa.Column("method", sa.String(12), nullable=False),
        ],
        [
            sa.Column("payments", sa.Integer(), nullable=False),
            sa.Column("payments_fen", sa.BigInteger(), nullable=False),
            sa.Column("reversals", sa.Integer(), nullable=False),
            sa.Column("reversals_fen", sa.BigInteger(), nullable=False),
        ],
    )
    _keyed(
        "report_bills",
        [*_dims(), sa.Column("usage_category", sa.String(24), nullable=False)],
        [sa.Column("bills", sa.Integer(), nullable=False), sa.Column("billed_fen", sa.BigInteger(), nullable=False), sa.Column("usage", sa.BigInteger(), nullable=False)],
    )
    _keyed(
        "report_collected",
        [*_dims(), sa.Column("usage_category", sa.String(24), nullable=False), sa.Column("day", sa.Date(), nullable=False)],
        [sa.Column("principal_fen", sa.BigInteger(), nullable=False)],
    )
    _keyed(
        "report_sales",
        [*_dims(), sa.Column("tariff_code", sa.String(40), nullable=False), sa.Column("item", sa.String(80), nullable=False)],
        [sa.Column("quantity", sa.BigInteger(), nullable=False), sa.Column("amount_fen", sa.BigInteger(), nullable=False)],
    )
    _keyed(
        "report_readings",
        _dims(),
        [sa.Column(c, sa.Integer(), nullable=False) for c in ("read", "zero", "high", "rolled_over")],
    )
    pg = op.get_bind().dialect.name == "postgresql"

    def day(column: str) -> str:
        return f"date({column} + interval '8 hours')" if pg else f"date({column}, '+8 hours')"

    op.execute(f"""
        INSERT INTO report_collections (day, station_id, clerk_id, method, payments, payments_fen, reversals, reversals_fen)
        SELECT {day('created_at')}, station_id, clerk_id, method,
               sum(CASE WHEN kind = 'reversal' THEN 0 ELSE 1 END), sum(CASE WHEN kind = 'reversal' THEN 0 ELSE amount_fen END),
               sum(CASE WHEN kind = 'reversal' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'reversal' THEN amount_fen ELSE 0 END)
        FROM payments GROUP BY 1, 2, 3, 4
    """)
    op.execute("""
        INSERT INTO report_bills (period, service, route, usage_category, bills, billed_fen, usage)
        SELECT b.period, a.service, a.reading_route, a.usage_category, count(*), sum(b.amount_fen), sum(b.usage)
        FROM bills b JOIN accounts a ON a.id = b.account_id WHERE b.status != 'void' GROUP BY 1, 2, 3, 4
    """)
    op.execute(f"""
        INSERT INTO report_collected (period, service, route, usage_category, day, principal_fen)
        SELECT period, service, route, usage_category, day, sum(principal) FROM (
            SELECT b.period, a.service, a.reading_route AS route, a.usage_category, {day('p.created_at')} AS day, pa.principal_fen AS principal
            FROM payment_allocations pa JOIN bills b ON b.id = pa.bill_id JOIN payments p ON p.id = pa.payment_id
                 JOIN accounts a ON a.id = b.account_id
            WHERE b.status != 'void'
            UNION ALL
            SELECT b.period, a.service, a.reading_route, a.usage_category, {day('e.created_at')}, e.principal_fen
            FROM balance_entries e JOIN bills b ON b.id = e.bill_id JOIN accounts a ON a.id = b.account_id
            WHERE b.status != 'void' AND e.kind = 'deduction'
        ) AS collected GROUP BY 1, 2, 3, 4, 5
    """)
    op.execute("""
        INSERT INTO report_sales (period, service, route, tariff_code, item, quantity, amount_fen)
        SELECT b.period, a.service, a.reading_route, b.tariff_code, l.item, sum(l.quantity), sum(l.amount_fen)
        FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN accounts a ON a.id = b.account_id
        WHERE b.status != 'void' GROUP BY 1, 2, 3, 4, 5
    """)
    rolled = "r.rolled_over" if pg else "r.rolled_over = 1"
    op.execute(f"""
        INSERT INTO report_readings (period, service, route, read, zero, high, rolled_over)
        SELECT r.period, a.service, a.reading_route, count(DISTINCT r.meter_id),
               count(DISTINCT CASE WHEN r.usage = 0 THEN r.meter_id END),
               count(DISTINCT CASE WHEN r.usual IS NOT NULL AND r.usual > 0 AND r.usage > r.usual * {HIGH_USAGE_FACTOR} THEN r.meter_id END),
               count(DISTINCT CASE WHEN {rolled} THEN r.meter_id END)
        FROM readings r JOIN meters m ON m.id = r.meter_id JOIN accounts a ON a.id = m.account_id GROUP BY 1, 2, 3
    """)


def downgrade() -> None:
    for name in ("report_readings", "report_sales", "report_collected", "report_bills", "report_collections"):
        op.drop_table(name)
