"""Property: a mutated bundle is refused cleanly (BundleRefused / UserError, nothing else) or
yields exactly the original payload."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ietp_desktop.domain.errors import UserError

from .bundle_forgery import all_plaintext, open_home
from .conftest import Offices, SmallBundle

Mutation = tuple[str, int, bytes]

mutations = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=1)),
        st.tuples(
            st.just("overwrite"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=40)
        ),
        st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=40)),
        st.tuples(st.just("delete"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=40)),
        st.tuples(st.just("truncate"), st.integers(0, 1 << 20), st.just(b"")),
    ),
    min_size=1,
    max_size=4,
)


def mutate(raw: bytes, steps: list[Mutation]) -> bytes:
    data = bytearray(raw)
    for kind, position, value in steps:
        at = position % (len(data) + 1) if data else 0
        if kind == "flip" and at < len(data):
            data[at] ^= value[0] or 1
        elif kind == "overwrite":
            data[at : at + len(value)] = value
        elif kind == "insert":
            data[at:at] = value
        elif kind == "delete":
            del data[at : at + len(value)]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=mutations)
def test_mutants_are_refused_or_identical(
    steps: list[Mutation], offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    raw = small_bundle.path.read_bytes()
    mutant = mutate(raw, steps)
    path = tmp_path / "mutant.ietpbundle"
    path.write_bytes(mutant)
    try:
        bundle = open_home(path, offices)
        payload = all_plaintext(bundle)
    except UserError:
        return
    assert payload == small_bundle.payload


def test_mutation_helper_changes_bytes(small_bundle: SmallBundle) -> None:
    raw = small_bundle.path.read_bytes()
    assert mutate(raw, [("flip", 5, b"\x01")]) != raw
    assert mutate(raw, [("truncate", 10, b"")]) == raw[:10]
    with pytest.raises(AssertionError):
        assert mutate(raw, [("insert", 0, b"x")]) == raw
