"""Printed bills."""
