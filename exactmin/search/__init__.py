"""Untrusted search over differentiable regions and over instances (shrinking).

``scan.py`` chooses the engine; ``fast.py`` (with ``compiled.py``) and ``naive.py`` are the
engines; ``outcome.py`` their shared option and outcome types.
"""

from exactmin.search.outcome import ScanOptions, ScanOutcome
from exactmin.search.scan import scan_regions
from exactmin.search.shrink import shrink_instance

__all__ = ["ScanOptions", "ScanOutcome", "scan_regions", "shrink_instance"]
