"""Library images in articles: each image gets the key Markdown names it by
(![](image:KEY)), and each version keeps the snapshots of the images it shows."""

import secrets

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import articles.models.images


def give_keys(apps, schema_editor):
    LibraryImage = apps.get_model("articles", "LibraryImage")
    for image in LibraryImage.objects.all():
        image.key = secrets.token_hex(4)
        image.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_change_feed_epoch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="libraryimage",
            name="key",
            field=models.CharField(editable=False, max_length=40, null=True),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="libraryimage",
            name="key",
            field=models.CharField(
                default=articles.models.images.new_key,
                editable=False,
                max_length=40,
                unique=True,
                validators=[django.core.validators.RegexValidator("^[a-z0-9-]{3,40}$")],
            ),
        ),
        migrations.AlterField(
            model_name="libraryimage",
            name="uploaded_by",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="articleversion",
            name="images",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
