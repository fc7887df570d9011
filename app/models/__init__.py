"""SQLAlchemy declarative models. No Qt, no business rules beyond invariants.

Money columns end in `_fen` and hold integer fen; quantities use `Quantity`, unit
prices `UnitPrice` (see types.py). Rows that can be created at several places have
UUID keys; human-facing numbers are separate unique columns.
"""

from app.models.base import Base, new_id, utcnow  # noqa: F401
from app.models.billing import Bill, BillLine, Reading, TariffRecord  # noqa: F401
from app.models.core import (  # noqa: F401
    Account,
    AuditEntry,
    AuditHead,
    Clerk,
    ContactRecord,
    Customer,
    Meter,
    NumberSequence,
    Setting,
    Station,
)
from app.models.counter import QueueTicket, ServiceRating  # noqa: F401,E402
from app.models.documents import DocumentPrint  # noqa: F401,E402
from app.models.exchange import BankBatch, BankBatchLine, BankMandate, ReadingImport, ReadingImportRow  # noqa: F401,E402
from app.models.handling import Matter, MatterEvent, Outage  # noqa: F401,E402
from app.models.interfaces import ChannelStatement, CustomerNotice, ReconcileItem, StatementLine  # noqa: F401,E402

# Areas add their models below, one import line each, so Alembic sees every table.
from app.models.payments import BalanceEntry, Payment, PaymentAllocation, Shift  # noqa: F401,E402
from app.models.reports import BillSummary, CollectedSummary, CollectionSummary, ReadingSummary, SalesSummary  # noqa: F401,E402
from app.models.search import SearchEntry  # noqa: F401
from app.models.sync import SyncApplied, SyncAudience, SyncConflict, SyncHeld, SyncIdentity, SyncLink, SyncNonce, SyncOutbox, SyncPeer  # noqa: F401,E402
