"""Signals of the papers app. Bulk writes bypass the model signals (post_save), so they send their own."""

from django.dispatch import Signal

# Sent after a batch of imported papers was committed with something created or updated (kwargs: stats).
papers_imported = Signal()
