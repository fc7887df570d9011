"""CounterDesk: the service counter of an electricity or water supply company."""

__version__ = "0.1.0"
