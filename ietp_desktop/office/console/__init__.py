"""The office web console and the laptops' endpoints, one Starlette application.

Starlette rather than FastAPI or Litestar: the console is server-rendered pages and a handful
of binary endpoints, so the request-model machinery of the others buys nothing, while
Starlette hands over the raw request stream (uploads go to disk chunk by chunk, never held
whole) and keeps every piece of security (session, CSRF, roles) visible in this package.
"""
