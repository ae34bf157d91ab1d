"""``python -m qstrong``: the command line."""

import sys

from qstrong.cli import main

sys.exit(main())
