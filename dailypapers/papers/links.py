"""Find a paper's code repository and project page in its abstract or comments."""

from __future__ import annotations

import re

_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]]+", re.IGNORECASE)
_GITHUB = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]+)", re.I)
_NOT_REPO_OWNERS = {"orgs", "topics", "features", "about", "sponsors", "marketplace", "settings", "search"}
_PROJECT_HINT = re.compile(r"(project|website|homepage|home page|demo|page|site)\W{0,20}$", re.IGNORECASE)
_NOT_PROJECT_HOSTS = ("arxiv.org", "doi.org", "github.com", "creativecommons.org", "huggingface.co/papers")
_TRAILING = ".,;:!?)]}'\""


def find_urls(text: str) -> list[str]:
    urls = []
    if not text or "://" not in text:  # most abstracts hold no link: skip the regex
        return urls
    for match in _URL.finditer(text):
        url = match.group(0)
        # Closing brackets belong to the URL only when it opened one itself.
        while url and url[-1] in _TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        urls.append(url)
    return urls


def find_github_repo(*texts: str) -> str:
    """``https://github.com/owner/name`` of the first repository link, or ''."""
    for text in texts:
        for url in find_urls(text):
            match = _GITHUB.match(url)
            if not match:
                continue
            owner, name = match.group(1), match.group(2)
            name = name.rstrip(".")
            if name.lower().endswith(".git"):
                name = name[:-4]
            if owner.lower() in _NOT_REPO_OWNERS or not name:
                continue
            return f"https://github.com/{owner}/{name}"
    return ""


def find_project_page(*texts: str) -> str:
    """A project page: a ``*.github.io`` site, or a URL introduced as a project page / website / demo."""
    for text in texts:
        text = text or ""
        if "://" not in text:
            continue
        for match in _URL.finditer(text):
            url = find_urls(match.group(0))[0]
            host = url.split("/", 3)[2].lower() if url.count("/") >= 2 else ""
            if any(blocked in url.lower() for blocked in _NOT_PROJECT_HOSTS):
                continue
            if host.endswith(".github.io") or _PROJECT_HINT.search(text[max(0, match.start() - 40) : match.start()]):
                return url
    return ""
