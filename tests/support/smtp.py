"""A real SMTP server (aiosmtpd) on a free loopback port for the digest tests, and helpers to read what it got.

Papers and subscribers to send come from dailypapers.core.testing (digest_papers, active_subscribers)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from tests.support.live_hub import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Handler:
    """Records accepted messages; answers with the faults a test asks for."""

    messages: list[Received] = field(default_factory=list)
    refuse_rcpt: dict[str, str] = field(default_factory=dict)  # address -> reply, e.g. "550 5.1.1 no such user"
    refuse_data: dict[str, str] = field(default_factory=dict)  # address -> reply to DATA, e.g. "451 4.3.0 later"
    rcpt_delay: float = 0.0
    data_delay: float = 0.0
    slow_call: int = 0  # set `slowed` when the n-th RCPT (or DATA) starts its delay
    slowed: threading.Event = field(default_factory=threading.Event)
    on_rcpt: object = None  # called (in a thread of its own) with each recipient address before answering
    rcpt_calls: int = 0
    data_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_calls += 1
        if self.on_rcpt is not None:  # off the event loop: it may use the database
            thread = threading.Thread(target=self.on_rcpt, args=(address,))
            thread.start()
            thread.join()
        if self.rcpt_delay:
            if self.rcpt_calls == self.slow_call:
                self.slowed.set()
            await asyncio.sleep(self.rcpt_delay)
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        if self.data_delay:
            if self.data_calls == self.slow_call:
                self.slowed.set()
            await asyncio.sleep(self.data_delay)
        for address in envelope.rcpt_tos:
            if address in self.refuse_data:
                return self.refuse_data[address]
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 2.0.0 accepted"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def counts(self) -> Counter:
        return Counter(rcpt for m in self.messages for rcpt in m.rcpt_tos)


class SmtpServer:
    def __init__(self, handler: Handler | None = None, port: int | None = None):
        self.handler = handler or Handler()
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller._thread is not None:
            self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=10"


def use_smtp(settings, port: int) -> None:
    """Point Django's e-mail settings (pytest-django's `settings` fixture) at a loopback SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10


def text_part(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(text: str, kind: str) -> str:
    """The path of the first /digests/<kind>/ link in a message's text."""
    match = re.search(rf"https?://[^/\s]+(/digests/{kind}/[^\s>\"]+)", text)
    assert match, f"no /digests/{kind}/ link in:\n{text}"
    return match.group(1)
