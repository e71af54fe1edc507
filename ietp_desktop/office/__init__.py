"""The office program: setup and enrolment, intake of results bundles, assignments,
listings, and (console/) its web console. Never imported by ui/."""
