"""amika-tui: a terminal UI for the Amika secrets store."""

import sys

__version__ = "0.1.0"

# httpx imports its own command-line client at import time whenever click happens to be
# installed (uvicorn brings it), and with it pygments and rich's syntax highlighting:
# ~0.1-0.2 s of every start of the UI, for a `main()` we never call. A None entry makes
# that import fail, so httpx defines its stub instead (and nothing else changes).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
