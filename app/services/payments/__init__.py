"""Counter payments, receipts, reversals and shifts (DOMAIN.md: payments, receipts and cash)."""
