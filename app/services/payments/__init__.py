"""Counter payments, receipts, reversals and shifts (docs/DOMAIN.md: payments, receipts and cash)."""
