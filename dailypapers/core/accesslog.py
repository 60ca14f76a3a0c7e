"""gunicorn's access log without the secrets some URLs carry: the route is logged, the token is not.

Digest confirm/manage/unsubscribe links, e-mail verification links and password reset links hold a token in their
path; a log line (and a Referer logged from a page reached through such a link) shows ``<token>`` instead.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

TOKEN_PATHS = re.compile(
    r"(/digests/(?:confirm|unsubscribe|manage)/|/accounts/verify-email/|/accounts/reset/[^/\s?]+/)[^/\s?\"]+"
)


def redact(text: str) -> str:
    return TOKEN_PATHS.sub(r"\1<token>", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):  # request line, path, referer
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


class RedactTokensFilter(logging.Filter):
    """For the application's own log: Django logs the path of 4xx/5xx answers ("Bad Request: /digests/manage/...")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
