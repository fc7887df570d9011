"""The customer's side of the counter: the customer display's settings, satisfaction ratings and queue tickets (no Qt)."""
