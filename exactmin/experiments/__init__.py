"""Experiments that put a paper's claims next to exactmin's numbers (``exactmin experiment``)."""
