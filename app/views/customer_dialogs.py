"""Dialogs that edit a plain copy of a customer, account or meter and save it through the service on OK."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout

from app.i18n import error_text
from app.kernel.errors import ConflictError, UserError, ValidationError
from app.services import customers as cs
from app.views.forms import FieldForm
from app.views.labels import choices


class _EditDialog(QDialog):
    """Shows the form; OK calls `save(data)`. Field errors stay in the dialog, nothing is saved."""

    def __init__(self, title: str, object_name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.result_value = None
        self.box = QVBoxLayout(self)
        self.form = FieldForm(self)
        self.box.addWidget(self.form)
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.box.addWidget(self.message)
        self.box.addWidget(self.buttons)
        self.save_fn: Callable | None = None

    def collect(self):
        raise NotImplementedError

    def _save(self) -> None:
        self.form.clear_errors()
        self.message.hide()
        try:
            self.result_value = self.save_fn(self.collect())
        except ValidationError as err:
            if not self.form.show_errors(err.errors):
                self._say(error_text(err))
            return
        except ConflictError as err:
            QMessageBox.warning(self, self.tr("Not saved"), error_text(err))
            self.reject()
            return
        except UserError as err:
            self._say(error_text(err))
            return
        self.accept()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


class CustomerDialog(_EditDialog):
    def __init__(self, data: cs.CustomerInput, save: Callable, new: bool, parent=None) -> None:
        super().__init__(self.tr("New customer") if new else self.tr("Edit customer"), "customerDialog", parent)
        self.data = data
        self.save_fn = save
        f = self.form
        f.line("name", self.tr("Name"), data.name, 100)
        f.combo("kind", self.tr("Customer kind"), choices("kind"), data.kind)
        f.combo("id_type", self.tr("ID type"), choices("id_type"), data.id_type)
        f.line("id_number", self.tr("ID number"), data.id_number, 40)
        f.line("phone", self.tr("Phone"), data.phone, 30)
        f.line("phone2", self.tr("Second phone"), data.phone2, 30)
        f.line("address", self.tr("Contact address"), data.address, 200)
        f.combo("relationship_status", self.tr("Relationship"), choices("relationship_status"), data.relationship_status)
        f.combo("vip_level", self.tr("Important customer"), choices("vip_level"), data.vip_level)
        f.line("credit_score", self.tr("Credit score (0-100)"), data.credit_score, 3)
        f.text("documents_seen", self.tr("Documents seen"), data.documents_seen)
        f.text("notes", self.tr("Notes"), data.notes)
        f.combo("messages", self.tr("Text messages"), [("accepted", self.tr("Accepted")), ("refused", self.tr("Refused"))], data.messages)
        f.fields["name"].setFocus()

    def collect(self) -> cs.CustomerInput:
        names = [k for k in cs.CustomerInput.__dataclass_fields__ if k != "version"]
        return cs.CustomerInput(**{k: self.form.value(k) for k in names}, version=self.data.version)


class AccountDialog(_EditDialog):
    def __init__(self, data: cs.AccountInput, save: Callable, new: bool, parent=None) -> None:
        super().__init__(self.tr("New account") if new else self.tr("Edit account"), "accountDialog", parent)
        self.data = data
        self.save_fn = save
        f = self.form
        no = f.line("account_no", self.tr("Account no. (empty: next number)"), data.account_no, 10)
        no.setReadOnly(not new)
        f.line("account_name", self.tr("Account name"), data.account_name, 100)
        f.line("supply_address", self.tr("Supply address"), data.supply_address, 200)
        f.combo("service", self.tr("Service"), choices("service"), data.service)
        f.combo("usage_category", self.tr("Usage category"), choices("usage_category"), data.usage_category)
        f.line("voltage_level", self.tr("Voltage level"), data.voltage_level, 16)
        f.line("contracted_capacity", self.tr("Contracted capacity (kVA)"), data.contracted_capacity, 12)
        f.line("reading_route", self.tr("Reading route"), data.reading_route, 20)
        f.line("route_order", self.tr("Order in route"), data.route_order, 7)
        f.line("transformer_area", self.tr("Transformer area"), data.transformer_area, 40)
        f.combo("status", self.tr("Status"), choices("status", ["new", "normal", "changing", "closed"]), data.status)
        f.line("household_size", self.tr("Household size"), data.household_size, 2)
        f.line("tariff_code", self.tr("Tariff code"), data.tariff_code, 40)
        f.line("due_days", self.tr("Days until a bill is due"), data.due_days, 2)
        f.line("tier_bound_extra", self.tr("Extra tier quantity per month"), data.tier_bound_extra, 12)
        f.line("free_quota", self.tr("Free quantity per month"), data.free_quota, 12)

    def collect(self) -> cs.AccountInput:
        names = [k for k in cs.AccountInput.__dataclass_fields__ if k != "version"]
        return cs.AccountInput(**{k: self.form.value(k) for k in names}, version=self.data.version)


class MeterDialog(_EditDialog):
    def __init__(self, data: cs.MeterInput, save: Callable, new: bool, parent=None) -> None:
        super().__init__(self.tr("New meter") if new else self.tr("Edit meter"), "meterDialog", parent)
        self.data = data
        self.save_fn = save
        f = self.form
        f.line("meter_no", self.tr("Meter no."), data.meter_no, 30)
        f.combo("registers", self.tr("Registers"), choices("registers"), data.registers)
        f.line("digits", self.tr("Digits"), data.digits, 2)
        f.line("multiplier", self.tr("Multiplier (CT x PT)"), data.multiplier, 12)
        f.line("ct_ratio", self.tr("CT ratio"), data.ct_ratio, 20)
        f.line("pt_ratio", self.tr("PT ratio"), data.pt_ratio, 20)
        f.line("initial_reading", self.tr("Reading when installed"), data.initial_reading, 14)
        f.line("installed_on", self.tr("Installed on (YYYY-MM-DD)"), data.installed_on, 10)
        f.combo("status", self.tr("Status"), choices("status", ["active", "removed"]), data.status)

    def collect(self) -> cs.MeterInput:
        names = [k for k in cs.MeterInput.__dataclass_fields__ if k != "version"]
        return cs.MeterInput(**{k: self.form.value(k) for k in names}, version=self.data.version)


class ContactDialog(_EditDialog):
    """F7. `links` are what a contact with this customer may settle (cs.pending_contact_links: a complaint
    whose first contact is pending); choosing one records the contact as that first contact."""

    def __init__(self, save: Callable, parent=None, links: list[cs.ContactLink] | tuple = ()) -> None:
        super().__init__(self.tr("Record a contact"), "contactDialog", parent)
        self.save_fn = save
        self.links = {str(link.ref_id): link for link in links}
        f = self.form
        f.combo("channel", self.tr("Channel"), choices("channel", cs.CHANNELS), "counter")  # the service's lists; labels.py only names them
        f.combo("kind", self.tr("Kind"), choices("contact_kind", cs.CONTACT_KINDS), "inquiry")
        if self.links:
            options = [("", self.tr("No"))]
            for key, link in self.links.items():
                text = self.tr("Yes: this is the first contact of %1").replace("%1", link.number)
                if link.due_by is not None:
                    text += " " + self.tr("(due by %1)").replace("%1", link.due_by.strftime("%m-%d %H:%M"))
                options.append((key, text))
            f.combo("link", self.tr("First contact"), options, "")
            f.fields["link"].currentIndexChanged.connect(self._link_chosen)
        f.text("summary", self.tr("What was asked or done"))
        f.fields["summary"].setFocus()

    def _link_chosen(self) -> None:
        """A first contact files the contact under its matter's kind (a complaint's, say)."""
        link = self.links.get(self.form.value("link"))
        kind = self.form.fields["kind"]
        if link is not None:
            kind.setCurrentIndex(max(kind.findData(link.kind), 0))
        kind.setEnabled(link is None)

    def collect(self) -> dict:
        data = {k: self.form.value(k) for k in ("channel", "kind", "summary")}
        link = self.links.get(self.form.value("link")) if "link" in self.form.fields else None
        data["link"] = link.ref_id if link else None
        return data
