"""Checklist form files, valid ones mutated at random: parse_form gives a Form or a
ValidationFailed naming the file, never any other exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ietp_desktop.domain.checklist_parse import parse_form
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.paths import forms_dir

SOURCE = "fuzzed-form.json"
SHIPPED = next((forms_dir() / "checklists").glob("*.json"))
BASE: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths_of(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:3]):  # the first few items stand for the rest
            found += paths_of(child, (*prefix, index))
    return found


PATHS = [p for p in paths_of(BASE) if p]


def mutated(path: tuple[object, ...], action: str, new: object) -> Any:
    document = json.loads(json.dumps(BASE))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = new
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(parent[last])  # e.g. the same item id twice
    else:
        parent[last] = {"wrapped": parent[last]}
    return document


def expect_clean_outcome(text: str) -> None:
    try:
        parse_form(text, SOURCE)
    except ValidationFailed as failure:
        message = str(failure)
        assert message.startswith(SOURCE), message
        assert "\n" not in message
        assert failure.problems and all(SOURCE in p for p in failure.problems)  # noqa: PT017 (fuzz: either it parses or it fails cleanly)


@FUZZ
@given(
    st.sampled_from(PATHS),
    st.sampled_from(("delete", "replace", "duplicate", "wrap")),
    json_values,
)
def test_mutated_shipped_form_is_parsed_or_refused_by_name(
    path: tuple[object, ...], action: str, new: object
) -> None:
    expect_clean_outcome(json.dumps(mutated(path, action, new), ensure_ascii=False))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), json_values), min_size=2, max_size=6))
def test_several_replacements_at_once(changes: list[tuple[tuple[object, ...], object]]) -> None:
    document = json.loads(json.dumps(BASE))
    for path, new in changes:
        try:
            parent = document
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = new
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    expect_clean_outcome(json.dumps(document, ensure_ascii=False))


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_json_document(value: object) -> None:
    expect_clean_outcome(json.dumps(value))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    expect_clean_outcome(text)


def test_the_shipped_form_itself_parses() -> None:
    form = parse_form(json.dumps(BASE), SOURCE)
    assert len(list(form.items())) > 50
