"""The result protocol (exactmin/protocol.py): every public result's ``certificate()`` is the
certificate its theorem's writer produces from the same inputs, the kernel accepts it with the
result's verdict, and a verdict without a certificate says why (``NoCertificate``) instead of
returning something the kernel would reject."""

import json
import random
from fractions import Fraction as Q

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import certify, verify_point
from exactmin.certificates.deep import kink_certificate, point_certificate
from exactmin.certificates.kawaguchi_kaelbling import escape_certificate
from exactmin.certificates.milne import convexity_certificate
from exactmin.check import check_certificate
from exactmin.decide.deep import analyze_deep_point
from exactmin.errors import NoCertificate
from exactmin.models import Instance
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.protocol import ResultProtocol, certificate_of
from exactmin.strategies import instances
from exactmin.theorems import kawaguchi_kaelbling, milne, soudry_carmon
from exactmin.theorems.choromanska import critical_points_certificate, enumerate_critical_points
from exactmin.theorems.soudry_hoffer import volumes


def _kernel(cert: dict) -> dict:
    return check_certificate(json.loads(json.dumps(cert)))


def _point(inst: Instance, rng: random.Random) -> tuple[list, list]:
    W = [[Q(rng.randint(-2, 2), rng.randint(1, 2)) for _ in range(inst.d0)] for _ in range(inst.d1)]
    z = [Q(rng.randint(-2, 2)) for _ in range(inst.d1)]
    return W, z


@settings(max_examples=30, deadline=None)
@given(instances(d0=st.integers(1, 2), d1=st.integers(1, 2), N=st.integers(1, 3)),
       st.integers(0, 10**6))
def test_a_point_verdict_certifies_itself_as_the_writers_do(inst: Instance, seed: int) -> None:
    """verify_point's report (differentiable or at a kink) against the writers called by hand on
    the depth-1 network: the same certificate, or NoCertificate exactly when undecided."""
    W, z = _point(inst, random.Random(seed))
    rep = verify_point(inst, W, z)
    deep = DeepInstance.from_instance(inst)
    dp = DeepPoint.from_dict({"weights": [[[str(v) for v in r] for r in W], [[str(v) for v in z]]]},
                             deep)
    if rep.differentiable:
        expected = point_certificate(deep, dp, analyze_deep_point(deep, dp))
    else:
        expected = kink_certificate(deep, dp, rep)
    if expected is None:
        with pytest.raises(NoCertificate, match="undecided"):
            rep.certificate()
        return
    assert rep.certificate() == expected
    verdict = {True: "local_minimum", False: "not_local_minimum"}[rep.local_minimum]
    assert _kernel(rep.certificate())["verdict"] == verdict


def test_deep_milne_and_escape_results_certify_themselves() -> None:
    inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
                                   "widths": [2, 2, 2, 1], "rho": "1/3"})
    p = DeepPoint.from_dict({"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]],
                                         [["-3/4", "15/28"]]]}, inst)
    rep = soudry_carmon.verify_deep_point(inst, p)
    assert rep.certificate() == point_certificate(inst, p, rep)
    assert _kernel(rep.certificate())["verdict"] == "local_minimum"

    c = milne.convexity(inst, p, "1/10")
    assert c.certificate() == convexity_certificate(inst, p, Q(1, 10), c)
    _kernel(c.certificate())

    esc = kawaguchi_kaelbling.eliminate(inst, p, "1/10")
    assert esc.verdict == "escape"
    assert esc.certificate() == escape_certificate(inst, p, Q(1, 10), (Q(0), Q(0)), Q(0), esc)
    assert _kernel(esc.certificate())["verdict"] == "not_local_minimum"


def test_results_without_a_verdict_to_certify_say_why() -> None:
    inst = DeepInstance.from_dict({"X": [[1, 2]], "y": [1, 2], "widths": [1, 1, 1], "rho": 0})
    at_kink = DeepPoint.from_dict({"weights": [[[0]], [[1]]]}, inst)
    with pytest.raises(NoCertificate, match="no piece"):
        milne.convexity(inst, at_kink, "1/10").certificate()
    fitted = DeepPoint.from_dict({"weights": [[[1]], [[1]]]}, inst)  # zero loss: nothing escapes
    with pytest.raises(NoCertificate, match="nothing escapes"):
        kawaguchi_kaelbling.eliminate(inst, fitted, "1/10").certificate()
    one = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho="1/2")
    with pytest.raises(NoCertificate, match="certificate=True"):
        certify(one).certificate()
    with pytest.raises(NoCertificate, match="budget"):
        soudry_carmon.global_minimum(Instance.from_lists([[1, 2, 3], [1, 1, 1]], [1, 3, 2],
                                                         d1=1, rho=0), budget=1e-9).certificate()
    with pytest.raises(NoCertificate, match="VolumeReport"):
        volumes(one).certificate()


def test_census_and_enumeration_results_carry_their_certificates() -> None:
    one = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho="1/2")
    res = certify(one, census=True, certificate=True)
    info = _kernel(res.certificate())
    assert (info["theorem"], info["regions"], info["bad_dlm_regions"]) == (
        "soudry_carmon/census", res.census.regions, res.census.bad_dlm_regions)
    from exactmin.spinglass import random_tensor

    e = enumerate_critical_points(random_tensor(p=3, Lam=3, seed=1))
    assert e.certificate() == critical_points_certificate(e)
    assert _kernel(e.certificate())["complete"] is e.complete


def test_an_unregistered_result_type_has_no_certificate() -> None:
    class Unknown(ResultProtocol):
        def to_dict(self) -> dict:
            return {}

    with pytest.raises(NoCertificate, match="Unknown"):
        certificate_of(Unknown())
    with pytest.raises(NoCertificate):
        Unknown().certificate()


def test_keeping_the_inputs_changes_neither_equality_nor_repr() -> None:
    inst = Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0)
    a = verify_point(inst, [[-1, -1]], [1])
    b = verify_point(Instance.from_lists([[1, 2], [1, 1]], [1, 2], d1=1, rho=0), [[-1, -1]], [1])
    assert a == b and hash(a) == hash(b) and "inputs" not in repr(a)
    assert set(a.inputs) == {"instance", "point"}


def test_every_public_result_type_follows_the_protocol() -> None:
    """The outcome types of every paper's entry points (their modules' ``__all__``) and of the
    package are ResultProtocol: to_dict, to_json, str, notebook forms, certificate()."""
    import dataclasses
    import importlib
    import inspect

    import exactmin
    from exactmin.theorems import PAPERS

    parts = {"Hypothesis", "Counterexample", "BadRegion", "RealPoint"}  # fields of results
    inputs = {"Instance", "Point", "DeepInstance", "DeepPoint", "SpinTensor"}
    modules = [exactmin] + [importlib.import_module(f"exactmin.theorems.{p.id}") for p in PAPERS]
    checked = []
    for module in modules:
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) and dataclasses.is_dataclass(obj) and \
                    name not in parts | inputs:
                assert issubclass(obj, ResultProtocol), f"{module.__name__}.{name}"
                checked.append(name)
    assert {"Certified", "GlobalMinimum", "Enumeration", "VolumeReport", "RestrictedResult",
            "CounterexampleSearch", "DeepCounterexample", "Census"} <= set(checked)
