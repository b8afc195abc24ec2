"""Factories for test data; each builds a valid row with sensible content."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import FAQ, Article, KeyTakeaway, Person, Reference, Topic
from articles.review import roles, workflow


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = "Questions about this topic."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Dr Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    credentials = "MD"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A working copy with no history; use make_published() for a public article."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Is question number {n} answered?")
    slug = factory.Sequence(lambda n: f"question-{n}")
    short_answer = "Yes, in most cases."
    body = "## Background\n\nSome explanation.\n"
    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(PersonFactory)


def make_reviewer(**user_fields):
    """A medical reviewer account with its public byline (name and credentials)."""
    user = UserFactory(groups=[roles.MEDICAL_REVIEWERS], **user_fields)
    PersonFactory(user=user, credentials="MBBS, MRCGP")
    return user


def make_editor(**user_fields):
    return UserFactory(groups=[roles.EDITORS], **user_fields)


def update_summary(article) -> str:
    """A public summary for the article's next version (each update needs its own)."""
    return f"Updated the answer (version {article.versions.count() + 1})."


def make_published(article=None, *, editor=None, reviewer=None, **article_fields):
    """Take an article through the real workflow: edit, submit, approve, publish."""
    editor = editor or make_editor()
    reviewer = reviewer or make_reviewer()
    article = article or ArticleFactory(**article_fields)
    workflow.record_edit(article, user=editor)
    summary = update_summary(article) if article.versions.exists() else ""
    workflow.submit_for_review(article, user=editor, change_summary=summary)
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    article.refresh_from_db()
    return article


def republish(
    article,
    *,
    editor,
    reviewer,
    summary=None,
    correction=False,
    **changes,
):
    """Edit a published article (set `changes`), then take the new text and its
    public change summary through review and publish them."""
    article.refresh_from_db()
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article,
        user=editor,
        change_summary=summary or update_summary(article),
        correction=correction,
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    article.refresh_from_db()
    return article


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQ

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    question = factory.Sequence(lambda n: f"Is FAQ {n} a question?")
    answer = "It is."


class KeyTakeawayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyTakeaway

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Takeaway {n}.")


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    citation = factory.Sequence(lambda n: f"Health body. Guidance {n}. 2024.")
    url = "https://www.example.org/guidance"
