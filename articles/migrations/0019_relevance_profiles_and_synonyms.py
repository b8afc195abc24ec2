"""Related questions by relevance: each live version's weighted terms, and
the synonym groups editors keep (a few plain/medical ones to start with).
Editors may manage the synonyms. Profiles of versions published before this
are written the first time related links are computed (publishing/related.py).
"""

from django.db import migrations, models

STARTING_SYNONYMS = [
    "hypertension = high blood pressure = raised blood pressure",
    "hypotension = low blood pressure",
    "fever = high temperature",
    "insomnia = trouble sleeping = sleeplessness",
    "sleep apnoea = sleep apnea",
    "child = children = kid = kids",
    "teenager = teen = adolescent",
    "baby = infant",
    "sore throat = pharyngitis",
    "paracetamol = acetaminophen",
    "heart attack = myocardial infarction",
    "stroke = cerebrovascular accident",
    "anaemia = anemia",
    "paediatric = pediatric",
]


def add_synonyms(apps, schema_editor):
    SynonymGroup = apps.get_model("articles", "SynonymGroup")
    for phrases in STARTING_SYNONYMS:
        SynonymGroup.objects.get_or_create(phrases=phrases)


def apply_roles(apps, schema_editor):
    from articles.review.roles import apply_roles_in_migration

    apply_roles_in_migration(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0018_structured_references_and_evidence'),
    ]

    operations = [
        migrations.CreateModel(
            name='SynonymGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phrases', models.CharField(help_text='Two or more words or phrases that mean the same, separated by "=", e.g. "hypertension = high blood pressure".', max_length=300, unique=True)),
            ],
            options={
                'verbose_name': 'synonym group',
                'ordering': ['phrases'],
            },
        ),
        migrations.AddField(
            model_name='articleversion',
            name='relevance_terms',
            field=models.JSONField(editable=False, null=True),
        ),
        migrations.RunPython(add_synonyms, migrations.RunPython.noop),
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
    ]
