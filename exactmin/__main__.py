"""``python -m exactmin`` runs the command line."""

import sys

from exactmin.cli import main

sys.exit(main())
