"""`python -m amika_tui` runs the command line."""

import sys

from amika_tui.cli import main

sys.exit(main())
