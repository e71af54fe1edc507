"""Issue 17, problem by problem, from the attacker's side: an enrolled specialist sends validly
signed bundles (the program's own writer, a real specialist key) with hostile content. Each is
refused with a one-line message, and the office database and folder are unchanged, row for row
and file for file, with nothing created outside the office folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ietp_desktop.office.assignments import AssignedVisit, assign
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.listings import office_visits
from ietp_desktop.storage.models import FormDefinition, OfficeCatalogueEntry, RuleSetDefinition
from tests.bundle_world import World, signed_pdf, world, world_template
from tests.office.trust_attacks import (
    assert_refused_unchanged,
    exported,
    files_of,
    replace_photo,
    replace_report,
    rewritten,
    second_specialist,
    set_revision,
)

__all__ = ["world", "world_template"]


def _factory_id(world: World) -> str:
    database = open_office_db(world.office_dir)
    try:
        with database.session() as session:
            from ietp_desktop.storage.models import Factory

            return str(session.scalars(select(Factory.ietp_id)).first())
    finally:
        database.dispose()


def _catalogue(world: World) -> list[tuple[str, str]]:
    database = open_office_db(world.office_dir)
    try:
        with database.session() as session:
            return sorted(
                (row.kind, row.sha256) for row in session.scalars(select(OfficeCatalogueEntry))
            )
    finally:
        database.dispose()


# --- 1. any enrolled specialist could change every laptop's rules ---------------------------


def _poisoned_rules(version: str) -> Any:
    def mutate(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        from ietp_desktop.domain.rules import rule_set_sha256

        rules = json.loads(document["rule_set"]["content"])
        rules["version"] = version
        for wage in rules["minimum_wages"]:
            wage["amount"] = "1"
        text = json.dumps(rules, ensure_ascii=False)
        sha = rule_set_sha256(text)
        document["rule_set"].update(content=text, sha256=sha, version=version)
        document["visit"]["rule_set_sha256"] = sha

    return mutate


def test_1_a_bundles_rule_set_is_evidence_never_what_the_office_ships(
    world: World, tmp_path: Path
) -> None:
    catalogue = _catalogue(world)
    bad = rewritten(world, tmp_path, _poisoned_rules("99.0"))
    [outcome] = import_bundles(world.office_dir, [bad])
    assert outcome.status == "imported"  # the visit's own evidence, stored with it
    assert _catalogue(world) == catalogue  # ... but not in the office catalogue
    result = assign(
        world.office_dir,
        "lin.mei@example.org",
        [_factory_id(world)],
        [AssignedVisit(_factory_id(world), date(2027, 3, 1))],
        [],
        [],
        tmp_path / "assign.ietpbundle",
    )
    assert result.rule_sets == ["cn-guangdong-v1 1.0"]  # what the office installed, not 99.0


def test_1_a_version_that_does_not_parse_is_refused_and_assign_still_works(
    world: World, tmp_path: Path
) -> None:
    bad = rewritten(world, tmp_path, _poisoned_rules("zzz"))
    assert_refused_unchanged(world, bad, r"rule_set\.version: 'zzz' is not a version")
    database = open_office_db(world.office_dir)
    try:
        with database.session() as session:
            session.add(  # as an office imported before this check would hold it
                RuleSetDefinition(
                    sha256="f" * 64, rule_set_id="cn-guangdong-v1", version="zzz", content="{}"
                )
            )
            session.add(
                FormDefinition(sha256="e" * 64, form_id="pv-checklist", version="zzz", content="{}")
            )
    finally:
        database.dispose()
    result = assign(world.office_dir, "lin.mei@example.org", [], [], [], [], tmp_path / "a.ietp")
    assert result.forms == ["pv-checklist 2"] and result.rule_sets == ["cn-guangdong-v1 1.0"]


# --- 2. nothing bound a signer to a visit --------------------------------------------------


def test_2_another_specialist_cannot_send_a_revision_of_her_visit(
    world: World, tmp_path: Path
) -> None:
    [first] = import_bundles(world.office_dir, [exported(world, tmp_path)])
    assert first.status == "imported"
    bob = second_specialist(world, tmp_path)
    bad = rewritten(world, tmp_path, lambda d, e: set_revision(d, e, 2), signer=bob)
    message = assert_refused_unchanged(world, bad, "belongs to")
    assert "belongs to Lin Mei <lin.mei@example.org>; this bundle is signed by " in message
    assert "Bob Chan <bob.chan@example.org>" in message
    [listed] = office_visits(world.office_dir)
    assert listed.revisions == [1]


def test_2_an_assigned_visit_belongs_to_its_specialist_from_the_start(
    world: World, tmp_path: Path
) -> None:
    import_bundles(world.office_dir, [exported(world, tmp_path)])  # the factory is known
    result = assign(
        world.office_dir,
        "lin.mei@example.org",
        [],
        [AssignedVisit(_factory_id(world), date(2027, 3, 1))],
        [],
        [],
        tmp_path / "assign.ietpbundle",
    )
    [assigned] = result.visits
    bob = second_specialist(world, tmp_path)

    def as_assigned(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        document["visit"]["uuid"] = assigned
        set_revision(document, entries, 1)

    bad = rewritten(world, tmp_path, as_assigned, signer=bob)
    assert_refused_unchanged(world, bad, "belongs to Lin Mei <lin.mei@example.org>")


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        (2**62, r"has revision 4611686018427387904; revisions run from 1 to 10000"),
        (2**70, r"revisions run from 1 to 10000"),
        (-5, r"has revision -5; revisions run from 1 to 10000"),
        (25, r"revision 25 is too far ahead: the office holds revision 0 and accepts up to 20"),
    ],
)
def test_2_a_revision_cannot_freeze_a_visit(
    world: World, tmp_path: Path, revision: int, message: str
) -> None:
    bad = rewritten(world, tmp_path, lambda d, e: set_revision(d, e, revision))
    assert_refused_unchanged(world, bad, message)
    [outcome] = import_bundles(world.office_dir, [exported(world, tmp_path)])
    assert outcome.status == "imported"  # her real revision 1 still goes in


def test_2_a_visit_uuid_must_be_a_uuid(world: World, tmp_path: Path) -> None:
    def not_a_uuid(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        document["visit"]["uuid"] = "not-a-uuid"

    bad = rewritten(world, tmp_path, not_a_uuid)
    assert_refused_unchanged(world, bad, r"visit\.uuid: 'not-a-uuid' is not a UUID")


# --- 3. the office stored what it was sent, unchecked -----------------------------------------


def test_3_an_unsigned_report_is_refused(world: World, tmp_path: Path) -> None:
    fake = b"%PDF-1.7\n% not signed at all, sixty bytes or so\n%%EOF\n"
    bad = rewritten(world, tmp_path, lambda d, e: replace_report(d, e, fake))
    assert_refused_unchanged(world, bad, r"report entry 'report-.*' is not a signed report")


def test_3_a_report_signed_by_someone_else_is_refused(world: World, tmp_path: Path) -> None:
    bob = second_specialist(world, tmp_path)
    report = signed_pdf(bob, "Bob Chan", "a report Lin Mei never signed")
    bad = rewritten(world, tmp_path, lambda d, e: replace_report(d, e, report))
    assert_refused_unchanged(
        world, bad, r"is signed by Bob Chan <bob\.chan@example\.org>, not by the bundle's signer"
    )


def test_3_a_visit_without_its_report_is_refused(world: World, tmp_path: Path) -> None:
    def no_report(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        del entries[document["report"]["entry"]]
        document["report"] = None
        document["visit"]["report_sha256"] = None

    bad = rewritten(world, tmp_path, no_report)
    assert_refused_unchanged(world, bad, r"revision 1 has no signed report")


def test_3_an_executable_posing_as_a_photo_is_refused(world: World, tmp_path: Path) -> None:
    payload = b"MZ\x90\x00" + b"<html><script>alert('office')</script></html>" * 20
    bad = rewritten(world, tmp_path, lambda d, e: replace_photo(d, e, payload))
    assert_refused_unchanged(world, bad, r"photo entry 'photo-[0-9a-f]{64}' is not an image")


@pytest.mark.parametrize("where", ["absolute", "existing"])
def test_3_a_photo_hash_is_never_a_path(world: World, tmp_path: Path, where: str) -> None:
    outside = tmp_path / "outside" / "planted"
    target = str(outside) if where == "absolute" else "../office.sqlite3"

    def path_as_hash(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        document["attachments"][0]["sha256"] = target

    bad = rewritten(world, tmp_path, path_as_hash)
    assert_refused_unchanged(
        world, bad, r"attachments\[0\]\.sha256: is (not a sha256|longer than 64)"
    )
    assert not outside.parent.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fee_total_usd", "-1e20", r"visit\.fee_total_usd: is below 0"),
        ("man_days", "NaN", r"visit\.man_days: not a finite number"),
        ("day_rate_usd", "Infinity", r"visit\.day_rate_usd: not a finite number"),
        ("visit_start", "2026-12-31", r"visit: visit_start, visit_end are in the wrong order"),
        ("outcome_final", "all_good", r"visit\.outcome_final: is not one of"),
        ("override_reason", "x" * 5_000_000, r"visit\.override_reason: is longer than 20000"),
    ],
)
def test_3_values_out_of_bounds_are_refused_with_their_field(
    world: World, tmp_path: Path, field: str, value: str, message: str
) -> None:
    def hostile(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        document["visit"][field] = value
        if field == "visit_start":
            document["visit"]["visit_end"] = "2026-01-01"

    bad = rewritten(world, tmp_path, hostile)
    assert_refused_unchanged(world, bad, message)


# --- 7. errors: refusals, and a batch goes on after a bad bundle -----------------------------


def test_7_a_batch_refuses_the_bad_bundle_and_imports_the_next(
    world: World, tmp_path: Path, db_url: str | None
) -> None:
    def nul(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        document["answers"][0]["note"] = "before\x00after"

    def too_long(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        document["factory"]["name_en"] = "F" * 300

    bad_nul = rewritten(world, tmp_path, nul, name="nul.ietpbundle")
    bad_long = rewritten(world, tmp_path, too_long, name="long.ietpbundle")
    good = exported(world, tmp_path)
    outcomes = import_bundles(world.office_dir, [bad_nul, bad_long, good], db_url)
    assert [o.status for o in outcomes] == ["refused", "refused", "imported"]
    assert "answers[0].note: contains a NUL character" in outcomes[0].message
    assert "factory.name_en: is longer than 200 characters" in outcomes[1].message
    assert all(o.receipt is not None and o.receipt.is_file() for o in outcomes)
    [listed] = office_visits(world.office_dir, db_url)
    assert listed.uuid == world.visit_uuid


def test_7_nothing_of_a_refused_bundle_stays_in_the_office_folder(
    world: World, tmp_path: Path
) -> None:
    before = files_of(world.office_dir)
    fake = b"%PDF-1.7\n%%EOF\n"
    bad = rewritten(world, tmp_path, lambda d, e: replace_report(d, e, fake))
    import_bundles(world.office_dir, [bad])
    assert files_of(world.office_dir) == before
    assert not (world.office_dir / "incoming").exists()
