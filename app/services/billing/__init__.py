"""Tariffs, pricing, late fees, meter readings and bills (docs/TARIFFS.md, docs/DOMAIN.md)."""
