"""document_prints: one table counts the prints of every kind of document

Receipts (payments.print_count), bills (bills.print_count) and work-order receipts
(matters.print_count) each kept their own count; outage notices counted their audit entries and
shift reports the files in one machine's archive folder. The counts move here; the old columns
stay in the schema (dropping them would rebuild the largest tables) but nothing reads or writes
them any more. Shift reports start at no prints: their old count lived outside the database.

Revision ID: 0009_document_prints
Revises: 0008_matter_contacted_scope
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_document_prints"
down_revision = "0008_matter_contacted_scope"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_prints',
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('copies', sa.Integer(), nullable=False),
        sa.Column('first_at', sa.DateTime(), nullable=True),
        sa.Column('last_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('kind', 'number', name=op.f('pk_document_prints')),
    )
    op.execute("INSERT INTO document_prints (kind, number, copies, first_at, last_at) "
               "SELECT 'receipt', receipt_no, print_count, printed_at, printed_at FROM payments WHERE print_count > 0")
    op.execute("INSERT INTO document_prints (kind, number, copies, first_at, last_at) "
               "SELECT 'bill', bill_no, print_count, NULL, NULL FROM bills WHERE print_count > 0")
    op.execute("INSERT INTO document_prints (kind, number, copies, first_at, last_at) "
               "SELECT 'matter', matter_no, print_count, NULL, NULL FROM matters WHERE print_count > 0")
    op.execute("INSERT INTO document_prints (kind, number, copies, first_at, last_at) "
               "SELECT 'outage', entity_id, COUNT(*), MIN(at), MAX(at) FROM audit_log "
               "WHERE entity = 'outage' AND action IN ('print', 'reprint') GROUP BY entity_id")


def downgrade() -> None:
    op.drop_table('document_prints')
