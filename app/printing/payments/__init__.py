"""Payment receipts on thermal rolls and A5."""
