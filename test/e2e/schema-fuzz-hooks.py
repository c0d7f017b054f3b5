"""Schemathesis hooks for test/e2e/schema-fuzz.e2e.ts.

Every request gets a fresh Idempotency-Key (one key reused would replay the first write's answer)
and, in turn, the officer's or the admin's bearer token, so each operation is tried by both.
"""

import itertools
import os
import uuid

import schemathesis

_tokens = itertools.cycle([os.environ["FUZZ_OFFICER_TOKEN"], os.environ["FUZZ_ADMIN_TOKEN"]])


@schemathesis.hook
def before_call(context, case, **kwargs):
    headers = dict(case.headers or {})
    headers["Authorization"] = f"Bearer {next(_tokens)}"
    if case.method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
        headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4()}"
    case.headers = headers
