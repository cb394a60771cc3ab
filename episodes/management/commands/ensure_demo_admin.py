from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the admin/admin superuser for local demos (DEBUG only) unless one exists."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("refusing to create admin/admin with DEBUG off")
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; log in with it.")
            return
        users.create_superuser("admin", "admin@example.org", "admin")
        self.stdout.write("Created superuser admin (password: admin).")
