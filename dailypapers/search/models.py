"""Stored embeddings: one vector per (paper, model), computed once so index rebuilds never re-embed."""

from __future__ import annotations

from django.db import models


class PaperEmbedding(models.Model):
    """A paper's embedding by one model, as little-endian float16 bytes (``dim`` values).

    ``text_hash`` is a digest of the embedded text, so a changed title/abstract is re-embedded and nothing else is.
    """

    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="embeddings")
    model = models.CharField(max_length=200)
    dim = models.PositiveIntegerField()
    text_hash = models.CharField(max_length=32)
    vector = models.BinaryField()
    created = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "model"], name="paperembedding_unique")]
        indexes = [models.Index(fields=["model", "paper"], name="paperembedding_model")]

    def __str__(self) -> str:
        return f"{self.paper_id} by {self.model}"


class NodeIndex(models.Model):
    """What one node's local search index holds: written by that node after each sync, read by every node for
    `worker --status`, the metrics and `dailypapers check` (a node cannot see another node's files)."""

    node = models.CharField(max_length=200, unique=True)
    generation = models.CharField(max_length=100, blank=True, default="")
    model = models.CharField(max_length=200, blank=True, default="")
    papers = models.PositiveIntegerField(default=0)
    synced_until = models.DateTimeField(null=True, blank=True)  # the newest Paper.modified the index has seen
    synced_at = models.DateTimeField()  # when that sync finished

    def __str__(self) -> str:
        return f"{self.node}: {self.generation}"
