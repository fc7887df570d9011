"""Interfaces: files exchanged with handheld terminals, banks, payment platforms and SMS gateways."""
