from django.contrib import admin

from .models import TaskFailure


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    """Background work that gave up, with the reason: read-only, for editors and operators."""

    list_display = ["failed_at", "task", "arguments", "reason"]
    list_filter = ["task"]
    readonly_fields = ["task", "arguments", "reason", "failed_at"]

    def has_add_permission(self, request) -> bool:
        return False
