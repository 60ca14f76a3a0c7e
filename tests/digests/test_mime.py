"""The hand-written MIME of digests parses back to exactly the text and HTML that went in, with any characters."""

from __future__ import annotations

import email
import email.policy

from dailypapers.digests.mime import DigestEmail


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_it_round_trips_unicode_long_lines_and_special_characters():
    text = "Résumé: ∑ attention = softmax(QKᵀ/√d)\n.a line starting with a dot\n" + "long " * 60 + "\n\tTabbed = end \n"
    html = '<p style="color:#111">Über <b>naïve</b> = 3 &amp; 4</p>\n' + "<i>x</i>" * 200
    message = DigestEmail(
        subject="Papiers du jour — été",
        from_email="Papiers été <noreply@example.org>",
        to=["ada@example.org"],
        body=text,
        html=html,
        headers={"Message-ID": "<d.1@example.org>", "List-Unsubscribe": "<https://x/u/t>"},
    )
    raw = message.as_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert b"\n" not in raw.replace(b"\r\n", b"")
    parsed = parse(raw)
    assert parsed["Subject"] == "Papiers du jour — été"
    assert parsed["From"].addresses[0].display_name == "Papiers été"
    assert parsed["Message-ID"] == "<d.1@example.org>" and parsed["List-Unsubscribe"] == "<https://x/u/t>"
    assert parsed.get_content_type() == "multipart/alternative"
    crlf = "\r\n"  # on the wire every line ends with CRLF
    assert parsed.get_body(preferencelist=("plain",)).get_content() == text.replace("\n", crlf)
    assert parsed.get_body(preferencelist=("html",)).get_content() == html.replace("\n", crlf)


def test_a_line_too_long_for_smtp_is_sent_quoted_printable():
    html = "<p>" + "é" * 2000 + "</p>"
    message = DigestEmail(subject="S", from_email="a@example.org", to=["b@example.org"], body="plain", html=html)
    raw = message.as_bytes()
    assert b"Content-Transfer-Encoding: quoted-printable" in raw and b"Content-Transfer-Encoding: 7bit" in raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert parse(raw).get_body(preferencelist=("html",)).get_content() == html


def test_a_header_value_cannot_inject_another_header():
    message = DigestEmail(
        subject="Hello\r\nBcc: victim@example.org", from_email="a@example.org", to=["b@example.org"], body="x", html="y"
    )
    parsed = parse(message.as_bytes())
    assert parsed["Bcc"] is None and parsed["Subject"] == "Hello Bcc: victim@example.org"


def test_the_same_content_goes_to_other_django_backends():
    message = DigestEmail(
        subject="S",
        from_email="a@example.org",
        to=["b@example.org"],
        body="text",
        html="<p>h</p>",
        headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    django_message = message.as_django()
    assert django_message.body == "text" and django_message.alternatives[0][0] == "<p>h</p>"
    assert parse(django_message.message().as_bytes())["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
