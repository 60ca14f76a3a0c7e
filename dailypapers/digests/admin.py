"""Admin views of subscriptions, deliveries and the worker's jobs (read mostly: operators look, the code writes)."""

from django.contrib import admin

from dailypapers.digests.models import DigestDelivery, DigestRun, Subscription, Topic


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "frequency", "user", "created", "confirmed_at")
    list_filter = ("status", "frequency")
    search_fields = ("email",)
    raw_id_fields = ("user",)
    inlines = [TopicInline]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ("period", "subscription", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "period")
    search_fields = ("subscription__email",)
    raw_id_fields = ("subscription",)
    readonly_fields = ("lease_owner", "lease_until", "message_id", "last_error")


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ("period", "planned", "planned_at", "skipped_reason")
