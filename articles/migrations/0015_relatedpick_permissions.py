"""Editors may add, change, delete and view related picks.

Before this, no role held a related-pick permission, so the article form
showed editors no "related questions picked by editors" rows and they could
not pick related questions, though picking them is part of their role.
"""

from django.db import migrations


def apply_roles(apps, schema_editor):
    from articles.review.roles import apply_roles_in_migration

    apply_roles_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_approval_covers_bylines_and_public_details")]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
