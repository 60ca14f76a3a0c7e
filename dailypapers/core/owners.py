"""Names of the processes that hold leases (host:pid:random), and which of them are known to be gone."""

from __future__ import annotations

import os
import socket
import uuid


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def dead_local_owners(owners: set[str]) -> list[str]:
    """Owners that were processes on this host and no longer exist: their leases need not be waited out."""
    host = socket.gethostname()
    dead = []
    for owner in owners:
        owner_host, _, rest = owner.partition(":")
        pid_text = rest.partition(":")[0]
        if owner_host != host or not pid_text.isdigit():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            dead.append(owner)
        except PermissionError:
            pass  # alive, another user's process
    return dead
