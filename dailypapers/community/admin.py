"""Django admin for the community models (administrators: is_staff / is_superuser)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from dailypapers.community.models import Comment, ModerationAction, User, Vote


@admin.register(User)
class HubUserAdmin(UserAdmin):
    list_display = ("username", "email", "email_verified", "is_active", "is_moderator", "is_staff", "date_joined")
    list_filter = ("is_active", "email_verified", "is_moderator", "is_staff", "is_superuser")
    fieldsets = UserAdmin.fieldsets + (("Community", {"fields": ("email_verified", "is_moderator", "avatar_url")}),)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("user", "paper", "created")
    raw_id_fields = ("user", "paper")
    list_select_related = ("user", "paper")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "paper", "author", "created", "is_hidden", "is_deleted")
    list_filter = ("is_hidden", "is_deleted")
    raw_id_fields = ("paper", "author", "parent", "hidden_by")
    search_fields = ("body",)
    list_select_related = ("paper", "author")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ("created", "moderator", "kind", "target", "reason")
    list_filter = ("kind",)
    readonly_fields = ("created",)
