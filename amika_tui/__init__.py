"""amika-tui: a terminal UI for the Amika secrets store."""

__version__ = "0.1.0"
