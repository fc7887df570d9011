"""Matters (work orders) under first-contact responsibility: deadlines, workflow, queues, outages."""
