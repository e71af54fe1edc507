"""Every route of the console and who may use it: the one table the role checks come from.

A test walks this table and asks every route as every role, signed out, and without a CSRF
token, so a route added here without the right roles cannot go unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, READ_ONLY, REVIEWER
from ietp_desktop.office.console import (
    analytics_pages,
    api,
    cap_pages,
    cap_records_pages,
    escalation_pages,
    factory_overview_page,
    factory_pages,
    invoice_pages,
    ltv_pages,
    pages,
    plan_change_pages,
    planning_pages,
    review_pages,
)
from ietp_desktop.office.console.web import PUBLIC, SPECIALIST

STAFF = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER, READ_ONLY})
MANAGERS = frozenset({ADMINISTRATOR, COORDINATOR})
ADMINS = frozenset({ADMINISTRATOR})


@dataclass(frozen=True)
class Route:
    path: str
    methods: tuple[str, ...]
    roles: frozenset[str]
    handler: Callable[..., object]
    name: str


ROUTES: tuple[Route, ...] = (
    Route("/", ("GET",), STAFF, pages.home, "home"),
    Route("/signin", ("GET",), PUBLIC, pages.signin_form, "signin_form"),
    Route("/signin", ("POST",), PUBLIC, pages.signin, "signin"),
    Route("/signout", ("POST",), STAFF, pages.signout, "signout"),
    Route("/lang/{code}", ("GET",), PUBLIC, pages.language, "language"),
    Route("/account/password", ("GET",), STAFF, pages.password_form, "password_form"),
    Route("/account/password", ("POST",), STAFF, pages.password_change, "password_change"),
    Route("/inbox", ("GET",), STAFF, pages.inbox_page, "inbox"),
    Route("/inbox.{kind:str}", ("GET",), STAFF, pages.inbox_export, "inbox_export"),
    Route("/visits/{uuid}", ("GET",), STAFF, pages.visit, "visit"),
    Route("/visits/{uuid}/report/{revision:int}", ("GET",), STAFF, pages.visit_report, "report"),
    Route("/visits/{uuid}/photos/{sha}", ("GET",), STAFF, pages.visit_photo, "photo"),
    Route("/specialists", ("GET",), STAFF, pages.specialists_page, "specialists"),
    Route(
        "/specialists.{kind:str}", ("GET",), STAFF, pages.specialists_export, "specialists_export"
    ),
    Route("/specialists", ("POST",), MANAGERS, pages.specialist_enrol, "specialist_enrol"),
    Route(
        "/specialists/{fingerprint}/enrolment",
        ("GET",),
        MANAGERS,
        pages.specialist_enrolment_file,
        "specialist_enrolment",
    ),
    Route(
        "/specialists/{fingerprint}/revoke",
        ("POST",),
        MANAGERS,
        pages.specialist_revoke,
        "specialist_revoke",
    ),
    Route("/users", ("GET",), ADMINS, pages.users_page, "users"),
    Route("/users.{kind:str}", ("GET",), ADMINS, pages.users_export, "users_export"),
    Route("/users", ("POST",), ADMINS, pages.user_add, "user_add"),
    Route("/users/{username}", ("POST",), ADMINS, pages.user_change, "user_change"),
    Route("/audit", ("GET",), MANAGERS, pages.audit_page, "audit"),
    Route("/audit.{kind:str}", ("GET",), MANAGERS, pages.audit_export, "audit_export"),
    Route("/api/v1/hello", ("GET",), SPECIALIST, api.hello, "api_hello"),
    Route("/api/v1/uploads", ("POST",), SPECIALIST, api.upload_create, "api_upload_create"),
    Route(
        "/api/v1/uploads/{upload_id}", ("GET",), SPECIALIST, api.upload_status, "api_upload_status"
    ),
    Route(
        "/api/v1/uploads/{upload_id}", ("PUT",), SPECIALIST, api.upload_chunk, "api_upload_chunk"
    ),
    Route(
        "/api/v1/uploads/{upload_id}/finish",
        ("POST",),
        SPECIALIST,
        api.upload_finish,
        "api_upload_finish",
    ),
    Route("/api/v1/assignments", ("GET",), SPECIALIST, api.assignments_list, "api_assignments"),
    Route(
        "/api/v1/assignments/{name}", ("GET",), SPECIALIST, api.assignments_get, "api_assignment"
    ),
    *(Route(*r) for r in review_pages.ROUTES),
    *(Route(*r) for r in cap_pages.ROUTES),
    *(Route(*r) for r in cap_records_pages.ROUTES),
    *(Route(*r) for r in invoice_pages.ROUTES),
    *(Route(*r) for r in escalation_pages.ROUTES),
    *(Route(*r) for r in factory_overview_page.ROUTES),
    *(Route(*r) for r in factory_pages.ROUTES),
    *(Route(*r) for r in planning_pages.ROUTES),
    *(Route(*r) for r in plan_change_pages.ROUTES),
    *(Route(*r) for r in analytics_pages.ROUTES),
    *(Route(*r) for r in ltv_pages.ROUTES),
)
