"""Factories for test data; each builds a valid row with sensible content."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import FAQ, Article, KeyTakeaway, Person, Reference, Topic


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
    """A draft article; use the `published` trait for a public one."""

    class Meta:
        model = Article

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(days=1)
            ),
        )

    title = factory.Sequence(lambda n: f"Is question number {n} answered?")
    slug = factory.Sequence(lambda n: f"question-{n}")
    short_answer = "Yes, in most cases."
    body = "## Background\n\nSome explanation.\n"
    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(PersonFactory)
    medical_reviewer = factory.SubFactory(PersonFactory, credentials="MBBS, MRCGP")


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
