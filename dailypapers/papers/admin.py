"""Django admin for the paper store (administrators can fix metadata, entries and authors by hand)."""

from django.contrib import admin

from dailypapers.papers.models import Author, DailyEntry, Organization, Paper


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ("arxiv_id", "title", "primary_category", "published_at", "upvotes", "num_comments")
    search_fields = ("arxiv_id", "title")
    list_filter = ("primary_category",)
    readonly_fields = ("upvotes", "num_comments", "created", "modified", "content_hash")
    raw_id_fields = ("organization",)
    date_hierarchy = "published_at"


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "fullname")
    search_fields = ("name", "fullname")


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(DailyEntry)
class DailyEntryAdmin(admin.ModelAdmin):
    list_display = ("day", "paper", "submitter_name", "source", "submitted_at", "upvotes", "hub_comments")
    list_filter = ("source",)
    raw_id_fields = ("paper", "submitted_by")
    date_hierarchy = "day"
    list_select_related = ("paper",)
