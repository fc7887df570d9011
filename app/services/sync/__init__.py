"""Sync between stations and the centre by bundles (docs/SYNC.md)."""
