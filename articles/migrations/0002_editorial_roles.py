"""Create the Editors and Medical reviewers groups with their permissions."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from articles.review.roles import apply_roles_in_migration

    # Not strict: the roles also name permissions of models that later
    # migrations create (0011 applies the roles again once those exist).
    apply_roles_in_migration(apps, strict=False)


def remove_roles(apps, schema_editor):
    from articles.review.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
