"""CounterDesk: the service counter of an electricity or water supply company."""

DIST_NAME = "counterdesk"


def version() -> str:
    """The program's version: pyproject.toml's, read from the installed package metadata (the one place it is
    written; the bundle carries that metadata too, packaging/counterdesk.spec). Read on demand, not at import."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(DIST_NAME)
    except PackageNotFoundError:
        return "unknown"
