"""Static files as `dailypapers serve` sends them: collected on first start with hashed names, brotli and gzip copies,
cached for a year; KaTeX only fetched by pages that show math; a favicon."""

from __future__ import annotations

import re
import urllib.request

from tests.support.live_hub import hub_env, served_hub


def get(url: str, **headers) -> tuple[bytes, dict]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def test_serve_sends_hashed_compressed_static_files_cached_for_a_year(tmp_path):
    (tmp_path / "data").mkdir()
    with served_hub(hub_env(tmp_path / "data"), workers=1) as base:
        html = get(base + "/")[0].decode()
        css = re.search(r'href="(/static/web/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
        body, headers = get(base + css, **{"Accept-Encoding": "br"})
        assert headers["content-encoding"] == "br" and "immutable" in headers["cache-control"]
        assert "max-age=315360000" in headers["cache-control"]
        plain = get(base + css)[0]
        assert len(body) < len(plain) and b"{" in plain
        assert get(base + css, **{"Accept-Encoding": "gzip"})[1]["content-encoding"] == "gzip"

        # KaTeX is not in the page: site.js fetches it (hashed names too) only when the page shows math.
        assert "katex.min.js" not in re.sub(r"data-katex-[a-z-]+=\"[^\"]+\"", "", html)
        katex = re.search(r'data-katex-js="(/static/web/vendor/katex/katex\.min\.[0-9a-f]{12}\.js)"', html).group(1)
        assert "immutable" in get(base + katex, **{"Accept-Encoding": "br"})[1]["cache-control"]

        icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
        assert get(base + icon)[1]["content-type"].startswith("image/svg")
        assert get(base + "/favicon.ico")[0] == get(base + icon)[0]  # the redirect leads to the same icon
