"""shifts: the supervisor's note on accepting a shift's difference

A supervisor signing off a shift whose count differs from what was expected says why the
difference is accepted; the note is kept with the sign-off and printed on the shift and day reports.

Revision ID: 0014_shift_sign_off_note
Revises: 0013_sync
"""
from alembic import op
import sqlalchemy as sa

revision = "0014_shift_sign_off_note"
down_revision = "0013_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('shifts', sa.Column('sign_off_note', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    # (SQLite 3.35+ drops a column in place)
    op.drop_column('shifts', 'sign_off_note')
