"""matters: when the first contact was made, and the time-limit scope, as columns

contacted_at replaces the NOT EXISTS on matter_events that every queue, count and warning ran
to learn whether a complaint's first contact is still pending; the pending ones get a small
partial index of their own. deadline_scope (urban / rural / remote, high voltage ...) was kept
only in the registration's history note.

Revision ID: 0008_matter_contacted_scope
Revises: 0007_matter_contact_index
"""
import re

from alembic import op
import sqlalchemy as sa

revision = "0008_matter_contacted_scope"
down_revision = "0007_matter_contact_index"
branch_labels = None
depends_on = None

CONTACT_ACTIONS = ("contact", "reply", "answer_and_close")
PENDING = "state != 'closed' AND contact_by IS NOT NULL AND contacted_at IS NULL"
_SCOPE = re.compile(r"^\d+ (?:working days|hours|minutes) \[([A-Za-z0-9_]+)\]")


def upgrade() -> None:
    op.add_column('matters', sa.Column('contacted_at', sa.DateTime(), nullable=True))
    op.add_column('matters', sa.Column('deadline_scope', sa.String(length=16), nullable=False, server_default=''))
    matters = sa.table('matters', sa.column('id', sa.Uuid()), sa.column('contacted_at', sa.DateTime()),
                       sa.column('deadline_scope', sa.String()))
    events = sa.table('matter_events', sa.column('matter_id', sa.Uuid()), sa.column('at', sa.DateTime()),
                      sa.column('action', sa.String()), sa.column('note', sa.Text()))
    first_contact = (sa.select(sa.func.min(events.c.at)).where(events.c.matter_id == matters.c.id,
                                                              events.c.action.in_(CONTACT_ACTIONS)).scalar_subquery())
    bind = op.get_bind()
    bind.execute(sa.update(matters).values(contacted_at=first_contact).where(
        sa.exists().where(events.c.matter_id == matters.c.id, events.c.action.in_(CONTACT_ACTIONS))))
    scoped = [(mid, m.group(1)) for mid, note in bind.execute(
        sa.select(events.c.matter_id, events.c.note).where(events.c.action == "register", events.c.note.like("%[%]%")))
        if (m := _SCOPE.match(note or ""))]
    if scoped:
        bind.execute(sa.update(matters).where(matters.c.id == sa.bindparam("mid")).values(deadline_scope=sa.bindparam("scope")),
                     [{"mid": mid, "scope": scope} for mid, scope in scoped])
    op.drop_index('ix_matters_open_contact', table_name='matters')
    op.create_index('ix_matters_contact_pending', 'matters', ['station_id', 'contact_by', 'deadline_at'],
                    sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))
    if bind.dialect.name == "sqlite":
        op.execute("ANALYZE matters")


def downgrade() -> None:
    op.drop_index('ix_matters_contact_pending', table_name='matters')
    where = sa.text("state != 'closed'")
    op.create_index('ix_matters_open_contact', 'matters', ['station_id', 'contact_by', 'deadline_at', 'state'],
                    sqlite_where=where, postgresql_where=where)
    # (SQLite 3.35+ drops a column in place; a batch copy of the table would trip its foreign keys)
    op.drop_column('matters', 'deadline_scope')
    op.drop_column('matters', 'contacted_at')
