"""Printed documents of matters: the work-order receipt, checklists, outage notices."""
