"""matter_events: the registration's time limit, scope and repeat count as columns

A "register" history row kept them only in its note ("45 minutes [urban]; repeat 1"), which the
screen parsed back with a regular expression. They are now rule_count, rule_unit, scope and
repeat_count; this fills them from the notes of older stores (and empties a note it has read
whole, so a register row says its rule one way only).

Revision ID: 0012_matter_event_rule
Revises: 0011_counter_service
"""
import re

from alembic import op
import sqlalchemy as sa

revision = "0012_matter_event_rule"
down_revision = "0011_counter_service"
branch_labels = None
depends_on = None

# the note written by registration before this revision
_NOTE = re.compile(r"^(\d+) (working days|hours|minutes)(?: \[([A-Za-z0-9_]+)\])?(?:; repeat (\d+))?$")


def upgrade() -> None:
    op.add_column('matter_events', sa.Column('rule_count', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('matter_events', sa.Column('rule_unit', sa.String(length=16), nullable=False, server_default=''))
    op.add_column('matter_events', sa.Column('scope', sa.String(length=16), nullable=False, server_default=''))
    op.add_column('matter_events', sa.Column('repeat_count', sa.Integer(), nullable=False, server_default='0'))
    events = sa.table('matter_events', sa.column('id', sa.Uuid()), sa.column('action', sa.String()), sa.column('note', sa.Text()),
                      sa.column('rule_count', sa.Integer()), sa.column('rule_unit', sa.String()), sa.column('scope', sa.String()),
                      sa.column('repeat_count', sa.Integer()))
    bind = op.get_bind()
    rows = []
    for eid, note in bind.execute(sa.select(events.c.id, events.c.note).where(events.c.action == "register")):
        m = _NOTE.match(note or "")
        if m:
            rows.append({"eid": eid, "count": int(m.group(1)), "unit": m.group(2).replace(" ", "_"), "e_scope": m.group(3) or "",
                         "repeats": int(m.group(4) or 0)})
    if rows:
        bind.execute(sa.update(events).where(events.c.id == sa.bindparam("eid")).values(
            rule_count=sa.bindparam("count"), rule_unit=sa.bindparam("unit"), scope=sa.bindparam("e_scope"),
            repeat_count=sa.bindparam("repeats"), note=""), rows)


def downgrade() -> None:
    events = sa.table('matter_events', sa.column('id', sa.Uuid()), sa.column('action', sa.String()), sa.column('note', sa.Text()),
                      sa.column('rule_count', sa.Integer()), sa.column('rule_unit', sa.String()), sa.column('scope', sa.String()),
                      sa.column('repeat_count', sa.Integer()))
    bind = op.get_bind()
    notes = [{"eid": eid, "e_note": f"{count} {unit.replace('_', ' ')}" + (f" [{scope}]" if scope else "") + (f"; repeat {repeats}" if repeats else "")}
             for eid, count, unit, scope, repeats in bind.execute(sa.select(
                 events.c.id, events.c.rule_count, events.c.rule_unit, events.c.scope, events.c.repeat_count).where(
                 events.c.action == "register", events.c.rule_unit != ""))]
    if notes:
        bind.execute(sa.update(events).where(events.c.id == sa.bindparam("eid")).values(note=sa.bindparam("e_note")), notes)
    # (SQLite 3.35+ drops a column in place; a batch copy of the table would trip its foreign keys)
    for column in ('repeat_count', 'scope', 'rule_unit', 'rule_count'):
        op.drop_column('matter_events', column)
