"""Forms of the web pages (accounts, comments, submissions, digest subscriptions)."""
