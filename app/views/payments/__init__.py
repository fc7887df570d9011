"""Payment screens: F4 payment dialog, receipts, shifts."""
