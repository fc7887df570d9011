"""the customer's side of the counter: satisfaction ratings and queue tickets

service_ratings keeps the customer's rating of a service (the satisfaction pad) with the contact
record it rates and the clerk; queue_tickets keeps each called queue ticket's issue, call and
end-of-service times, counter and clerk, for wait and service times per kind and clerk.

Revision ID: 0011_counter_service
Revises: 0010_audit_per_station
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_counter_service"
down_revision = "0010_audit_per_station"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_ratings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=False),
    sa.Column('clerk_id', sa.Uuid(), nullable=False),
    sa.Column('rating', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('counter', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['clerks.id'], name=op.f('fk_service_ratings_clerk_id_clerks')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact_records.id'], name=op.f('fk_service_ratings_contact_id_contact_records')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_service_ratings_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_ratings')),
    sa.UniqueConstraint('contact_id', name=op.f('uq_service_ratings_contact_id'))
    )
    op.create_index('ix_service_ratings_clerk_at', 'service_ratings', ['clerk_id', 'at'], unique=False)
    op.create_index('ix_service_ratings_station_at', 'service_ratings', ['station_id', 'at'], unique=False)
    op.create_table('queue_tickets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ticket_no', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('called_at', sa.DateTime(), nullable=False),
    sa.Column('served_until', sa.DateTime(), nullable=True),
    sa.Column('counter', sa.String(length=60), nullable=False),
    sa.Column('clerk_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['clerks.id'], name=op.f('fk_queue_tickets_clerk_id_clerks')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_queue_tickets_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_tickets')),
    sa.UniqueConstraint('station_id', 'day', 'ticket_no', name=op.f('uq_queue_tickets_station_id_day_ticket_no'))
    )
    op.create_index('ix_queue_tickets_station_called_at', 'queue_tickets', ['station_id', 'called_at'], unique=False)
    op.create_index('ix_queue_tickets_counter_open', 'queue_tickets', ['station_id', 'counter', 'served_until'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_queue_tickets_counter_open', table_name='queue_tickets')
    op.drop_index('ix_queue_tickets_station_called_at', table_name='queue_tickets')
    op.drop_table('queue_tickets')
    op.drop_index('ix_service_ratings_station_at', table_name='service_ratings')
    op.drop_index('ix_service_ratings_clerk_at', table_name='service_ratings')
    op.drop_table('service_ratings')
