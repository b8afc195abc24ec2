"""Editors may add, change and view tags; medical reviewers may view them.

Before this, no role held a tag permission, so the article form's tag field
(an autocomplete) answered 403 to editors and they could not tag articles.
"""

from django.db import migrations


def apply_roles(apps, schema_editor):
    from articles.review.roles import apply_roles_in_migration

    apply_roles_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_rank_vector")]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
