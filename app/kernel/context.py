"""Who is acting, and where: passed into every service call that changes something."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

ROLES = ("clerk", "supervisor", "admin")


@dataclass(frozen=True)
class Actor:
    clerk_id: uuid.UUID
    clerk_name: str
    staff_no: str
    role: str
    station_id: uuid.UUID
    station_code: str
    station_name: str

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
