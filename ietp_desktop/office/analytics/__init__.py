"""Office analytics: aggregations across factories and visits, computed in the database.

Every function takes a Session and a Period and returns frozen tables (`model.Table`) the
console pages, the exports and the `office analytics … --json` commands all show as they are.
"""
