"""Escalations after a visit: zero tolerance, Progress Audit required, status review, and the
factory's certificate status that follows IETP's decisions."""
