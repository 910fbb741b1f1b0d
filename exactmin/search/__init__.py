"""Untrusted search over differentiable regions and over instances (shrinking)."""

from exactmin.search.census import ScanOutcome, scan_regions
from exactmin.search.shrink import shrink_instance

__all__ = ["ScanOutcome", "scan_regions", "shrink_instance"]
