from django.contrib import admin

from dailypapers.core.models import Job, JobRun


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("name", "next_run_at", "lease_owner", "lease_until", "last_status", "last_finished_at")


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "owner", "started_at", "finished_at", "status")
    list_filter = ("job", "status")
