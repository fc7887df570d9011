"""The customer side of the counter: the customer display, its satisfaction pad, queue calling."""
