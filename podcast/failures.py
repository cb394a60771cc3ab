"""Every task ends in a final state: a failure is logged in one line and recorded.

RecordedTask is the Celery app's base task class, so every task, ours and any added
later, records why it gave up (a TaskFailure row, visible in the admin) and then
lets the task say so where editors look (record_failure: the episode's audio, the
transcript). Without it an unexpected error leaves a row "processing", and the
sweep re-sends it for ever.
"""

import contextlib
import json
import logging

from celery import Task
from django.db import DatabaseError

from .models import TaskFailure

log = logging.getLogger(__name__)
MAX_REASON = 1000


def failure_reason(exc: BaseException, tries: int) -> str:
    first_line = str(exc).strip().partition("\n")[0]
    return f"gave up after {tries} tries: {type(exc).__name__}: {first_line}"[:MAX_REASON]


class RecordedTask(Task):
    def record_failure(self, *args, reason: str) -> None:
        """Say on the task's own rows that it failed; the sweeps have none."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        reason = failure_reason(exc, self.request.retries + 1)
        log.error("task %s%s failed: %s", self.name, tuple(args), reason)
        # If the database is what failed, the sweep re-sends the work once it is back.
        with contextlib.suppress(DatabaseError):
            arguments = json.loads(json.dumps(list(args), default=str))
            TaskFailure.objects.create(task=self.name, arguments=arguments, reason=reason)
            self.record_failure(*args, **kwargs, reason=reason)
