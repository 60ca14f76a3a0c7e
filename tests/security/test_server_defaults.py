"""The "Also" list of the security review against a real `dailypapers serve`: HSTS when the site is https, no
`testserver` among the default hosts, and tokens kept out of the access log (the route is logged, not the token)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.support.live_hub import hub_env, run_cli, served_hub

SECRET = "ZmFrZS1zZWNyZXQtdG9rZW4tdmFsdWUtMTIz"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("server-defaults")
    env = hub_env(
        data_dir,
        DAILYPAPERS_SITE_URL="https://papers.example.org",
        DAILYPAPERS_BEHIND_HTTPS_PROXY="1",
        DAILYPAPERS_ACCESS_LOG=str(data_dir / "access.log"),
    )
    run_cli(env, "migrate", "-v0")
    with served_hub(env, ready_path="/accounts/login/") as url:
        yield {"url": url, "log": data_dir / "access.log"}


def _get(url: str, **headers) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_https_sites_send_strict_transport_security(hub):
    status, headers = _get(hub["url"] + "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200 and headers.get("Strict-Transport-Security", "").startswith("max-age=")


def test_testserver_is_not_an_allowed_host(hub):
    assert _get(hub["url"] + "/accounts/login/", Host="testserver")[0] == 400


def test_tokens_in_urls_stay_out_of_the_access_log(hub):
    for path in [
        f"/digests/manage/{SECRET}",
        f"/digests/confirm/{SECRET}",
        f"/digests/unsubscribe/{SECRET}",
        f"/accounts/reset/MQ/{SECRET}/",
        f"/accounts/verify-email/{SECRET}",
    ]:
        _get(hub["url"] + path, Referer=f"https://papers.example.org/digests/manage/{SECRET}")
    _get(hub["url"] + "/accounts/login/")  # gunicorn writes each line after the response: one more to be sure
    log = hub["log"].read_text()
    assert "/digests/manage/" in log and "/accounts/reset/MQ/" in log
    assert SECRET not in log
    server_log = hub["log"].with_name("serve.log").read_text()  # Django's own "Bad Request: /path" lines
    assert "Bad Request: /digests/manage/<token>" in server_log and SECRET not in server_log
