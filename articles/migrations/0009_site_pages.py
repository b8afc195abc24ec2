"""The two pages the footer links to, with a starting text the publisher edits."""

from django.db import migrations


def create_pages(apps, schema_editor):
    from articles.models.site_pages import ensure_site_pages

    ensure_site_pages(apps.get_model("articles", "SitePage"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_trust_features")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
