"""Handling screens: register a matter (F6), matter detail and actions, queues, outages."""
