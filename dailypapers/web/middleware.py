"""Content-Security-Policy on every response: scripts, styles and fonts only from this site, no inline script.

The pages are written to pass it: no inline <script> or on* handler (KaTeX auto-render and htmx start from static
files), no <style> element. KaTeX sets element styles through the DOM (not blocked by CSP). Images and videos may
come from https (submitters' avatars, Hugging Face's thumbnails and media). A response that already carries the
header (a view that knows better) keeps its own.
"""

from __future__ import annotations

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "media-src 'self' https:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
