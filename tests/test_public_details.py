"""Public words no medical reviewer approves: people's profiles and topics.

Who may change them (articles.review.bylines), the log of every change, verified
credentials, and look-alike bylines. Each attack here was tried over HTTP by
a hostile editor; the admin form is posted as a browser would send it.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Person, PublicDetailChange, Topic
from articles.review import bylines, four_eyes, workflow
from tests.factories import (
    ArticleFactory,
    PersonFactory,
    TopicFactory,
    make_published,
    make_reviewer,
    republish,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def post_form(client, obj, **changes):
    """Post the change form back as the acting user's browser would."""
    path = change_url(obj)
    form_id = f"{obj._meta.model_name}_form"
    return client.post(path, form_data(client, path, form_id, **changes))


def logged(obj) -> list[tuple[str, str, str, str]]:
    return [
        (c.field, c.old_value, c.new_value, c.changed_by.get_username())
        for c in bylines.changes_of(obj).order_by("id")
    ]


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "correct-horse-9"
    )


@pytest.fixture
def published(editor, reviewer):
    """A public article written under an account-less byline."""
    return make_published(editor=editor, reviewer=reviewer)


# People: the permission matrix ------------------------------------------------

PEOPLE = ["reviewers own", "other reviewer", "named author", "new author"]


@pytest.fixture
def people(reviewer, published):
    other = make_reviewer(username="other-reviewer").person
    return {
        "reviewers own": reviewer.person,
        "other reviewer": other,
        "named author": published.author,
        "new author": PersonFactory(name="Dr Fresh Byline"),
    }


# Who may save a change to each person's bio (True) or is refused (False).
PEOPLE_MATRIX = {
    "editor": {
        "reviewers own": False,
        "other reviewer": False,
        "named author": False,
        "new author": True,
    },
    "reviewer": {
        "reviewers own": True,
        "other reviewer": False,
        "named author": False,
        "new author": False,
    },
    "admin": dict.fromkeys(PEOPLE, True),
}


@pytest.mark.parametrize("actor", list(PEOPLE_MATRIX))
@pytest.mark.parametrize("target", PEOPLE)
def test_who_may_change_a_persons_public_details(
    client, actor, target, people, editor, reviewer, admin
):
    user = {"editor": editor, "reviewer": reviewer, "admin": admin}[actor]
    person = people[target]
    client.force_login(user)
    before = Person.objects.get(pk=person.pk).bio
    path = change_url(person)
    page = client.get(path)
    assert page.status_code == 200
    may = PEOPLE_MATRIX[actor][target]
    assert ('name="bio"' in page.content.decode()) is may
    data = {
        "name": person.name,
        "slug": person.slug,
        "credentials": "MD",
        "bio": "Stop taking your medication.",
    }
    response = client.post(path, data)
    person.refresh_from_db()
    if may:
        assert response.status_code == 302
        assert person.bio == "Stop taking your medication."
        assert ("bio", before, "Stop taking your medication.") in [
            entry[:3] for entry in logged(person)
        ]
    else:
        assert response.status_code == 403
        assert person.bio == before
        assert PublicDetailChange.objects.count() == 0


def test_an_editor_cannot_rename_a_reviewer_into_the_next_versions_byline(
    client, editor, reviewer, published
):
    """The original attack: a rename showed at once and was frozen into the
    next version's "Medically reviewed by"."""
    client.force_login(editor)
    response = client.post(
        change_url(reviewer.person),
        {"name": "Dr Fake Name", "slug": reviewer.person.slug, "credentials": "PhD"},
    )
    assert response.status_code == 403
    republished = republish(
        published, editor=editor, reviewer=reviewer, short_answer="Newer words."
    )
    assert republished.live_version.reviewer_name == reviewer.person.name
    assert (
        "Dr Fake Name"
        not in client.get(reviewer.person.get_absolute_url()).content.decode()
    )


def test_a_reviewer_edits_their_own_profile_through_the_admin_and_it_is_logged(
    client, reviewer, published
):
    person = reviewer.person
    client.force_login(reviewer)
    response = post_form(client, person, job_title="General practitioner")
    assert response.status_code == 302
    assert logged(person) == [("job_title", "", "General practitioner", "reviewer")]
    page = client.get(change_url(person)).content.decode()
    assert "History of public details" in page and "General practitioner" in page


def test_only_an_administrator_links_an_account_to_a_byline(client, editor, admin):
    person = PersonFactory(name="Dr Unlinked")
    client.force_login(editor)
    post_form(client, person, user=str(editor.pk))
    person.refresh_from_db()
    assert person.user is None


# Verified credentials -------------------------------------------------------


def test_only_administrators_verify_credentials_and_the_profile_says_so(
    client, editor, reviewer, admin, published
):
    person = reviewer.person
    action = {
        "action": "verify_credentials_selected",
        "_selected_action": [str(person.pk)],
    }
    client.force_login(editor)
    client.post(reverse("admin:articles_person_changelist"), action)
    person.refresh_from_db()
    assert person.credentials_verified is False

    admin.first_name, admin.last_name = "Alex", "Morgan"
    admin.save()
    client.force_login(admin)
    client.post(reverse("admin:articles_person_changelist"), action)
    person.refresh_from_db()
    assert person.credentials_verified_by == admin
    profile = client.get(person.get_absolute_url()).content.decode()
    assert "checked by Alex Morgan on" in profile
    assert logged(person)[-1][0] == "credentials verified"


def test_changing_credentials_clears_their_verification(
    client, reviewer, admin, published
):
    person = reviewer.person
    bylines.verify_credentials(person, user=admin)
    client.force_login(reviewer)
    assert (
        post_form(
            client, Person.objects.get(pk=person.pk), credentials="MBBS, FRCP"
        ).status_code
        == 302
    )
    person.refresh_from_db()
    assert person.credentials_verified is False
    assert "checked by" not in client.get(person.get_absolute_url()).content.decode()
    fields = [entry[0] for entry in logged(person)]
    assert fields == ["credentials verified", "credentials", "credentials verified"]


def test_an_editor_cannot_verify_by_calling_the_rule_directly(editor, reviewer):
    with pytest.raises(Exception, match="Only administrators"):
        bylines.verify_credentials(reviewer.person, user=editor)


# Look-alike bylines ---------------------------------------------------------

LOOK_ALIKES = [
    "Priya Raman",
    "Dr Priya Raman",
    "priya  raman",
    "Priya Ramán",
    "Priya\u200b Raman",  # a zero-width space
    "Priyа Raman",  # a Cyrillic "а"
    "PRIYA RAMAN.",
]


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_a_new_person_who_looks_like_an_existing_one_is_refused(client, editor, name):
    PersonFactory(name="Priya Raman", slug="priya-raman")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_person_add"), {"name": name, "slug": "copy"}
    )
    assert response.status_code == 200
    assert "readers could not tell these names apart" in response.content.decode()
    assert not Person.objects.filter(slug="copy").exists()


def test_a_person_with_a_distinguishable_name_is_accepted(client, editor):
    PersonFactory(name="Priya Raman", slug="priya-raman")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_person_add"), {"name": "Priya K. Raman", "slug": "pk"}
    )
    assert response.status_code == 302
    assert logged(Person.objects.get(slug="pk"))[0][:3] == (
        "name",
        "",
        "Priya K. Raman",
    )


def test_four_eyes_compares_people_not_only_accounts(editor, reviewer):
    """A look-alike byline made before the rule (or by hand) is still the
    reviewer as far as readers can tell: they may not approve it."""
    twin = Person.objects.create(name=f"Dr {reviewer.person.name}", slug="twin")
    article = ArticleFactory(author=twin)
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    assert "your name as its author" in four_eyes.approval_conflict(article, reviewer)
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=reviewer)


def test_publishing_refuses_a_look_alike_of_the_approving_reviewer(editor, reviewer):
    article = ArticleFactory()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    # Test setup only: a look-alike renamed behind the admin's back.
    Person.objects.filter(pk=article.author_id).update(
        name=reviewer.person.name.upper()
    )
    article.refresh_from_db()
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.publish(article, user=editor)
    assert article.versions.count() == 0


# Topics ---------------------------------------------------------------------


def test_editors_create_topics_with_a_name_but_not_a_description(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_topic_add"),
        {
            "name": "Sleep",
            "slug": "sleep",
            "description": "Stop taking your medication",
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="sleep")
    assert topic.description == ""
    assert [entry[:3] for entry in logged(topic)] == [
        ("name", "", "Sleep"),
        ("slug", "", "sleep"),
    ]


def test_an_editor_cannot_reword_or_rename_a_public_topic(client, editor, published):
    topic = published.topic
    before = (topic.name, topic.description)
    client.force_login(editor)
    page = client.get(change_url(topic)).content.decode()
    assert 'name="description"' not in page and 'name="name"' not in page
    response = client.post(
        change_url(topic),
        {"name": "Stop your pills", "slug": topic.slug, "description": "Stop now"},
    )
    assert response.status_code == 403
    topic.refresh_from_db()
    assert (topic.name, topic.description) == before
    public = client.get(topic.get_absolute_url()).content.decode()
    assert "Stop now" not in public and "Stop your pills" not in public


def test_an_editor_may_rename_a_topic_with_no_public_article(client, editor):
    topic = TopicFactory(name="Slep", slug="slep")
    client.force_login(editor)
    assert post_form(client, topic, name="Sleep").status_code == 302
    topic.refresh_from_db()
    assert topic.name == "Sleep"
    assert logged(topic) == [("name", "Slep", "Sleep", "editor")]


def test_an_administrator_writes_a_topic_description_and_it_is_logged(
    client, admin, published
):
    topic = published.topic
    old = topic.description
    client.force_login(admin)
    assert (
        post_form(client, topic, description="Questions about sleep.").status_code
        == 302
    )
    assert logged(topic) == [("description", old, "Questions about sleep.", "admin")]
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Questions about sleep." in page


def test_a_topic_description_is_plain_text_on_the_page(client, admin, published):
    topic = published.topic
    client.force_login(admin)
    post_form(client, topic, description="**Bold** <em>x</em>")
    client.logout()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "**Bold** &lt;em&gt;x&lt;/em&gt;" in page
    assert "<em>x</em>" not in page
