"""Tariffs, pricing, late fees, meter readings and bills (TARIFFS.md, DOMAIN.md)."""
