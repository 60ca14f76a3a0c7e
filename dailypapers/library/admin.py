from django.contrib import admin

from dailypapers.library.models import AuthorClaim, Collection, Follow


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "kind", "is_public", "updated")
    list_filter = ("kind", "is_public")
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "author", "value", "created")
    list_filter = ("kind",)
    raw_id_fields = ("user", "author")


@admin.register(AuthorClaim)
class AuthorClaimAdmin(admin.ModelAdmin):
    list_display = ("user", "author", "status", "created", "decided_by")
    list_filter = ("status",)
    raw_id_fields = ("user", "author", "decided_by")
