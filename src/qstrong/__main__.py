"""``python -m qstrong``: the command line."""

import sys

from qstrong.cli import console_main

sys.exit(console_main())
