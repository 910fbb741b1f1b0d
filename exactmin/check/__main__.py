"""``python -m exactmin.check CERT.json``."""

import sys

from .main import main

sys.exit(main())
