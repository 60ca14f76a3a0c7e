"""This node's name in a cluster: DAILYPAPERS_NODE_NAME, else the host name and a digest of the data folder (two
hubs on one host with their own data folders are two nodes)."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

from django.conf import settings


def node_name() -> str:
    if settings.NODE_NAME:
        return settings.NODE_NAME
    folder = str(Path(settings.DATA_DIR).expanduser().resolve())
    return f"{socket.gethostname()}-{hashlib.sha1(folder.encode()).hexdigest()[:6]}"
