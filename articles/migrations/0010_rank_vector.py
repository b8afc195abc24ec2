import django.contrib.postgres.search
from django.db import migrations


def fill_rank_vectors(apps, schema_editor):
    # PostgreSQL only (SQLite has no full-text index). The rank vector is the
    # title, FAQ questions (A) and short answer (B) part of the search vector,
    # so existing versions get it in one statement, without re-reading texts.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE articles_articleversion "
        "SET rank_vector = ts_filter(search_vector, '{a,b}') "
        "WHERE search_vector IS NOT NULL"
    )
    schema_editor.execute(
        "CREATE INDEX articleversion_rank_gin "
        "ON articles_articleversion USING GIN (rank_vector)"
    )


def drop_rank_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS articleversion_rank_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_site_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleversion",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(fill_rank_vectors, drop_rank_index),
    ]
