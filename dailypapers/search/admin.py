from django.contrib import admin

from dailypapers.search.models import NodeIndex


@admin.register(NodeIndex)
class NodeIndexAdmin(admin.ModelAdmin):
    """Each node's search index; delete the row of a node taken out for good (it stops showing as lagging)."""

    list_display = ("node", "generation", "model", "papers", "synced_until", "synced_at")
