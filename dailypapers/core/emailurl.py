"""Parse DAILYPAPERS_EMAIL_URL into Django's EMAIL_* settings (pure: imported by settings.py, no Django needed).

    console://                           print e-mails on stdout (the default: a newcomer sees what would be sent)
    smtp://user:pass@host:587?tls=1      SMTP with STARTTLS (tls=1) or plain (port 25 by default)
    smtps://user:pass@host:465           SMTP over implicit TLS (port 465 by default)
    file:///var/mail/dailypapers         one file per message in that folder
    locmem://  dummy://                  kept in memory / dropped (tests, dry runs)

Query options: ``tls=1``, ``ssl=1``, ``timeout=SECONDS`` (default 20), ``localname=NAME`` (EHLO name).
User names and passwords may be percent-encoded (``%40`` for ``@``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
_TRUE = {"1", "true", "yes", "on"}


class InvalidEmailUrl(ValueError):
    pass


def parse_email_url(url: str) -> dict:
    """Return the Django settings (EMAIL_BACKEND, EMAIL_HOST, ...) that the URL describes."""
    url = (url or "console://").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise InvalidEmailUrl(
            f"DAILYPAPERS_EMAIL_URL: unknown scheme {scheme!r} in {url!r} (use one of: {', '.join(sorted(BACKENDS))})"
        )
    query = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
    result: dict = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme == "file":
        result["EMAIL_FILE_PATH"] = unquote(parts.path) or "."
        return result
    if scheme not in {"smtp", "smtps"}:
        return result
    if not parts.hostname:
        raise InvalidEmailUrl(f"DAILYPAPERS_EMAIL_URL: no host in {url!r}")
    use_ssl = scheme == "smtps" or query.get("ssl", "").lower() in _TRUE
    use_tls = not use_ssl and query.get("tls", "").lower() in _TRUE
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
        timeout = float(query.get("timeout", "20"))
    except ValueError as exc:
        raise InvalidEmailUrl(f"DAILYPAPERS_EMAIL_URL: {exc} in {url!r}") from None
    result.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port,
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_TLS=use_tls,
        EMAIL_USE_SSL=use_ssl,
        EMAIL_TIMEOUT=timeout,
    )
    if query.get("localname"):
        result["EMAIL_LOCALNAME"] = query["localname"]
    return result
