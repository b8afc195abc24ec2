from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from articles.review.roles import apply_roles


class Command(BaseCommand):
    help = "Re-apply the permissions of the Editors and Medical reviewers groups."

    def handle(self, *args, **options):
        for group_name, count in apply_roles(Group, Permission).items():
            self.stdout.write(f"{group_name}: {count} permissions")
