"""The office program: setup and enrolment, intake of results bundles, assignments,
listings, accounts, and (console/) its web console and the laptops' network endpoints.

Never imported by `ietp_desktop.ui` (an import-linter contract says so).
"""
