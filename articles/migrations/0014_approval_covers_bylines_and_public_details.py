"""An approval covers everything a version shows: the author byline as
printed, the review interval, and the public note about the update.

Fingerprints gain those parts, so existing ones are recomputed: a version's
from its own stored fields (after checking the old fingerprint still matches
them), an approval in flight only if the approved text is unchanged since (it
then held for everything the old fingerprint covered). Each article takes the
public note of its last publication, so unchanged drafts stay unchanged.
People get the reader's key of their name (look-alike bylines).
"""

import datetime
import hashlib
import json
from calendar import monthrange

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fingerprint(content):
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def article_content(article):
    """Article.content() as it was before this migration."""
    return {
        "title": article.title,
        "short_answer": article.short_answer,
        "body": article.body,
        "faqs": [
            {"question": f.question, "answer": f.answer}
            for f in article.faqs.order_by("position")
        ],
        "key_takeaways": [t.text for t in article.key_takeaways.order_by("position")],
        "references": [
            {"citation": r.citation, "url": r.url}
            for r in article.references.order_by("position")
        ],
        "slug": article.slug,
        "topic": article.topic.slug,
        "author": article.author.slug,
    }


def version_content(version):
    """ArticleVersion.content() as it was before this migration."""
    return {
        "title": version.title,
        "short_answer": version.short_answer,
        "body": version.body,
        "faqs": [{"question": f["question"], "answer": f["answer"]} for f in version.faqs],
        "key_takeaways": list(version.key_takeaways),
        "references": [
            {"citation": r["citation"], "url": r["url"]} for r in version.references
        ],
        "slug": version.slug,
        "topic": version.topic.slug,
        "author": version.author.slug,
    }


def interval_of(version):
    """The months between a version's review and its due date, if they fit one."""
    for months in range(1, 37):
        if add_months(version.last_reviewed_on, months) == version.next_review_due:
            return months
    return version.article.review_interval_months


def forwards(apps, schema_editor):
    from articles.text.names import name_key

    Person = apps.get_model("articles", "Person")
    Article = apps.get_model("articles", "Article")
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    for person in Person.objects.all():
        Person.objects.filter(pk=person.pk).update(name_key=name_key(person.name)[:120])
    versions = ArticleVersion.objects.select_related("topic", "author", "article")
    for version in versions.iterator():
        months = interval_of(version)
        old = version_content(version)
        changes = {"review_interval_months": months}
        if fingerprint(old) == version.content_hash:
            changes["content_hash"] = fingerprint(
                {
                    **old,
                    "author_name": version.author_name,
                    "author_credentials": version.author_credentials,
                    "review_interval_months": months,
                }
            )
        ArticleVersion.objects.filter(pk=version.pk).update(**changes)
    for article in Article.objects.select_related("topic", "author").iterator():
        last = (
            ArticleVersion.objects.filter(article=article, kind="publication")
            .order_by("-number")
            .first()
        )
        summary = last.change_summary if last else ""
        correction = last.is_correction if last else False
        changes = {"change_summary": summary, "is_correction": correction}
        old = article_content(article)
        if article.status == "approved" and fingerprint(old) == article.approved_content_hash:
            changes["approved_content_hash"] = fingerprint(
                {
                    **old,
                    "author_name": article.author.name,
                    "author_credentials": article.author.credentials,
                    "review_interval_months": article.review_interval_months,
                    "change_summary": summary,
                    "is_correction": correction,
                }
            )
        Article.objects.filter(pk=article.pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_article_list_index'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='change_summary',
            field=models.CharField(blank=True, help_text='One line readers see as “Updated: …” (and in Page history and the feed) when this text replaces a published version; required then. The medical reviewer approves it with the text.', max_length=200, verbose_name='public summary of this update'),
        ),
        migrations.AddField(
            model_name='article',
            name='is_correction',
            field=models.BooleanField(default=False, help_text='Readers see it listed under Corrections. Reviewed with the text.', verbose_name='this update corrects an error'),
        ),
        migrations.AddField(
            model_name='articleversion',
            name='review_interval_months',
            field=models.PositiveSmallIntegerField(default=12),
        ),
        migrations.AddField(
            model_name='person',
            name='credentials_verified_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='person',
            name='credentials_verified_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='person',
            name='name_key',
            field=models.CharField(db_index=True, default='', editable=False, help_text='The name as a reader tells it apart (articles.text.names).', max_length=120),
        ),
        migrations.AlterField(
            model_name='article',
            name='review_interval_months',
            field=models.PositiveSmallIntegerField(default=12, help_text='How often a clinician must re-check the published article. It sets the public “Next review due” date, so it is reviewed with the text.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(36)]),
        ),
        migrations.AlterField(
            model_name='topic',
            name='description',
            field=models.TextField(blank=True, help_text='One or two plain sentences shown on the topic page. Public text no medical reviewer approves, so only administrators write it.'),
        ),
        migrations.CreateModel(
            name='PublicDetailChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('field', models.CharField(max_length=60)),
                ('old_value', models.TextField(blank=True)),
                ('new_value', models.TextField(blank=True)),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('changed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'change to public details',
                'verbose_name_plural': 'changes to public details',
                'ordering': ['-changed_at', '-id'],
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='articles_pu_content_7d35fc_idx')],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
