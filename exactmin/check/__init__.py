"""Trusted certificate kernel (standard library only; imports nothing else from exactmin).

``python -m exactmin.check CERT.json``: exit 0 verified, 1 rejected, 2 malformed/unsupported.
The format and every acceptance condition: docs/certificate-format.md.
"""

from .kernel import Malformed, Rejected, check_certificate
from .main import check_file, main

__all__ = ["Malformed", "Rejected", "check_certificate", "check_file", "main"]
