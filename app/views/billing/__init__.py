"""Billing screens: readings entry, bills panel, bill printing, price calculator, tariff import."""
