from django.contrib import admin

from .models import QueuedWork, TaskFailure


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    """Background work that gave up, with the reason: read-only, for editors and operators."""

    list_display = ["failed_at", "task", "arguments", "reason"]
    list_filter = ["task"]
    readonly_fields = ["task", "arguments", "reason", "failed_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(QueuedWork)
class QueuedWorkAdmin(admin.ModelAdmin):
    """Work waiting for the broker to answer again (beat sends it every 30 s): read-only."""

    list_display = ["queued_at", "task", "arguments", "eta", "error"]
    list_filter = ["task"]
    readonly_fields = ["task", "arguments", "eta", "error", "queued_at"]

    def has_add_permission(self, request) -> bool:
        return False
