"""Office users, roles, console sessions, sign-in throttling and the office audit trail."""
