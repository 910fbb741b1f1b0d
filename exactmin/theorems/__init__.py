"""One module per paper: its hypotheses and its ``certify`` / ``verify`` entry points.

``THEOREMS`` maps each certificate theorem id to the module that produces such certificates;
the kernel's ``CHECKERS`` registry has the same ids (a test compares them).
"""

from exactmin.certificates import choromanska as _choromanska_certificates
from exactmin.certificates import deep as _deep_certificates
from exactmin.certificates import kawaguchi_kaelbling as _kk_certificates
from exactmin.certificates import milne as _milne_certificates
from exactmin.certificates import soudry_carmon as _soudry_carmon_certificates
from exactmin.theorems import choromanska, kawaguchi_kaelbling, milne, soudry_carmon

THEOREMS = {
    _soudry_carmon_certificates.THEOREM: soudry_carmon,
    _soudry_carmon_certificates.CENSUS: soudry_carmon,
    _choromanska_certificates.THEOREM: choromanska,
    _deep_certificates.POINT: soudry_carmon,
    _deep_certificates.RESTRICTED: soudry_carmon,
    _kk_certificates.THEOREM: kawaguchi_kaelbling,
    _milne_certificates.THEOREM: milne,
}

__all__ = ["THEOREMS", "choromanska", "kawaguchi_kaelbling", "milne", "soudry_carmon"]
