"""Test-only helpers that need pytest or real servers: paths, live hub, Chromium, SMTP, arXiv replay."""
