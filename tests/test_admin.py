import datetime

import pytest
from django.urls import reverse

from articles.models import Article, ArticleVersion
from articles.review import workflow
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
    make_published,
    update_summary,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def workflow_url(article):
    return reverse("admin:articles_article_workflow", args=[article.pk])


def inline_data(prefix, rows, initial=0, existing_ids=()):
    """POST data of one inline formset: management form plus one dict per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
        if index < len(existing_ids):
            data[f"{prefix}-{index}-id"] = str(existing_ids[index])
    return data


NO_INLINES = (
    inline_data("key_takeaways", [])
    | inline_data("faqs", [])
    | inline_data("references", [])
    # Editors pick related questions, so their form has these rows too.
    | inline_data("related_picks", [])
)


def new_article_data(**overrides):
    data = {
        "title": "Can you take paracetamol with ibuprofen?",
        "slug": "paracetamol-with-ibuprofen",
        "topic": str(TopicFactory().pk),
        "short_answer": "Adults can usually take both, following the dose on each pack.",
        "body": "## How they differ\n\n| Medicine | Type |\n|---|---|\n| Ibuprofen | NSAID |\n",
        "author": str(PersonFactory().pk),
        "review_interval_months": "12",
    }
    return data | overrides


def change_data(article, **overrides):
    """The change form as the browser would post it for `article`, unchanged."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "topic": str(article.topic_id),
        "short_answer": article.short_answer,
        "body": article.body,
        "author": str(article.author_id),
        "review_interval_months": str(article.review_interval_months),
        "edit_lock": str(article.lock_version),
    }
    faqs = list(article.faqs.all())
    data |= inline_data(
        "faqs",
        [
            {"position": str(f.position), "question": f.question, "answer": f.answer}
            for f in faqs
        ],
        initial=len(faqs),
        existing_ids=[f.pk for f in faqs],
    )
    data |= (
        inline_data("key_takeaways", [])
        | inline_data("references", [])
        | inline_data("related_picks", [])
    )
    return data | overrides


# Creating and editing.


def test_editor_creates_an_article_with_faqs_takeaways_and_references(client, editor):
    client.force_login(editor)
    data = new_article_data()
    data |= inline_data(
        "key_takeaways",
        [
            {"position": "1", "text": "Check the dose on each pack."},
            {"position": "2", "text": "Ask a pharmacist if unsure."},
        ],
    )
    data |= inline_data(
        "faqs",
        [
            {
                "position": "1",
                "question": "Can children take both?",
                "answer": "Ask a **pharmacist**.",
            }
        ],
    )
    data |= inline_data(
        "references",
        [
            {
                "position": "1",
                "citation": "NHS. Ibuprofen. 2024.",
                "url": "https://www.nhs.uk/medicines/ibuprofen-for-adults/",
            }
        ],
    )
    data |= inline_data("related_picks", [])

    response = client.post(ADD_URL, data)

    assert response.status_code == 302
    article = Article.objects.get(slug="paracetamol-with-ibuprofen")
    assert article.status == Article.Status.DRAFT
    assert [t.text for t in article.key_takeaways.all()] == [
        "Check the dose on each pack.",
        "Ask a pharmacist if unsure.",
    ]
    faq = article.faqs.get()
    assert (faq.question, faq.answer_html) == (
        "Can children take both?",
        "<p>Ask a <strong>pharmacist</strong>.</p>",
    )
    assert article.references.get().citation == "NHS. Ibuprofen. 2024."
    revision = article.revisions.get()
    assert revision.saved_by == editor
    assert revision.content["faqs"] == [
        {"question": "Can children take both?", "answer": "Ask a **pharmacist**."}
    ]


def test_add_form_shows_the_markdown_editor_with_our_preview_url(client, editor):
    client.force_login(editor)
    html = client.get(ADD_URL).content.decode()
    assert 'class="markdownx"' in html
    assert 'data-markdownx-urls-path="/admin-tools/markdown-preview/"' in html


def test_workflow_fields_cannot_be_set_through_the_form(client, editor):
    client.force_login(editor)
    data = new_article_data(status="published", approved_content_hash="x" * 64)
    assert client.post(ADD_URL, data | NO_INLINES).status_code == 302
    article = Article.objects.get(slug="paracetamol-with-ibuprofen")
    assert (article.status, article.approved_content_hash, article.live_version) == (
        Article.Status.DRAFT,
        "",
        None,
    )


def test_two_rows_with_the_same_position_are_refused_and_nothing_is_saved(
    client, editor
):
    client.force_login(editor)
    data = new_article_data() | NO_INLINES
    data |= inline_data(
        "key_takeaways",
        [{"position": "1", "text": "First."}, {"position": "1", "text": "Second."}],
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Two rows have position 1" in response.content.decode()
    assert Article.objects.filter(slug="paracetamol-with-ibuprofen").exists() is False


def test_editor_can_swap_two_faqs_in_one_save(client, editor, draft):
    first = FAQFactory(article=draft, position=1, question="First?")
    second = FAQFactory(article=draft, position=2, question="Second?")
    client.force_login(editor)
    data = change_data(draft)
    data["faqs-0-position"], data["faqs-1-position"] = "2", "1"

    response = client.post(change_url(draft), data)

    assert response.status_code == 302
    assert [f.pk for f in draft.faqs.all()] == [second.pk, first.pk]


def test_new_inline_rows_are_numbered_after_existing_ones(client, editor, draft):
    KeyTakeawayFactory(article=draft, position=1)
    KeyTakeawayFactory(article=draft, position=2)
    client.force_login(editor)
    html = client.get(change_url(draft)).content.decode()
    assert 'name="key_takeaways-2-position" value="3"' in html


def test_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost(
    client, editor, draft
):
    """Both editors open the form at the same lock version; the first save wins."""
    other_editor = UserFactory(username="other", groups=["Editors"])
    form_of_first = change_data(draft, short_answer="First editor's answer.")
    form_of_second = change_data(draft, short_answer="Second editor's answer.")

    client.force_login(editor)
    assert client.post(change_url(draft), form_of_first).status_code == 302
    client.force_login(other_editor)
    response = client.post(change_url(draft), form_of_second)

    assert response.status_code == 200
    assert (
        "Someone else saved this article after you opened it"
        in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.short_answer == "First editor's answer."
    assert [r.saved_by for r in draft.revisions.order_by("number")] == [editor, editor]


def test_editing_only_an_faq_in_the_admin_voids_the_approval(
    client, editor, reviewer, draft
):
    FAQFactory(article=draft, position=1, question="Is it safe?", answer="Yes.")
    workflow.record_edit(draft, user=editor)
    workflow.submit_for_review(draft, user=editor)
    workflow.approve_medical_review(draft, user=reviewer)
    draft.refresh_from_db()
    client.force_login(editor)
    data = change_data(draft)
    data["faqs-0-answer"] = "No, never."

    assert client.post(change_url(draft), data).status_code == 302

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.approved_content_hash == ""
    assert (
        draft.events.first().comment
        == "Content changed: the approval no longer applies."
    )


def test_saving_a_published_article_leaves_the_public_page_alone(
    client, editor, article
):
    client.force_login(editor)
    public_before = client.get(article.get_absolute_url()).content
    response = client.post(
        change_url(article), change_data(article, short_answer="Unreviewed new words.")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    client.logout()
    assert client.get(article.get_absolute_url()).content == public_before


# Workflow buttons and actions.


def test_editor_submits_from_the_article_page(client, editor, draft):
    client.force_login(editor)
    response = client.post(workflow_url(draft), {"transition": "submit"}, follow=True)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.IN_REVIEW
    assert "Submit for review: done" in response.content.decode()


def test_editor_cannot_approve_by_posting_to_the_workflow_url(client, editor, draft):
    workflow.submit_for_review(draft, user=editor)
    client.force_login(editor)
    response = client.post(workflow_url(draft), {"transition": "approve"}, follow=True)
    assert (
        "You do not have permission to approve articles." in response.content.decode()
    )
    assert Article.objects.get(pk=draft.pk).status == Article.Status.IN_REVIEW


def test_there_is_no_bulk_approve_action(client, editor, reviewer, draft):
    workflow.submit_for_review(draft, user=editor)
    client.force_login(reviewer)
    assert (
        "approve"
        not in client.get(CHANGELIST_URL)
        .content.decode()
        .split('name="action"')[1]
        .split("</select>")[0]
    )
    client.post(
        CHANGELIST_URL, {"action": "approve_selected", "_selected_action": [draft.pk]}
    )
    assert Article.objects.get(pk=draft.pk).status == Article.Status.IN_REVIEW


def test_reviewer_approves_the_text_shown_on_the_review_page(
    client, editor, reviewer, draft
):
    workflow.submit_for_review(draft, user=editor)
    client.force_login(reviewer)
    page = client.get(reverse("admin:articles_article_review", args=[draft.pk]))
    assert "Approve this exact text" in page.content.decode()
    response = client.post(
        workflow_url(draft),
        {
            "transition": "approve",
            "content_hash": page.context["content_hash"],
            "comment": "OK",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == (Article.Status.APPROVED, reviewer)


def test_reviewer_who_edited_is_refused_with_a_message(client, editor, reviewer, draft):
    workflow.submit_for_review(draft, user=editor)
    draft.body = "## Reviewer's own words\n"
    draft.save()
    workflow.record_edit(draft, user=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("admin:articles_article_review", args=[draft.pk]))
    assert "another reviewer must approve it" in page.content.decode()
    response = client.post(
        workflow_url(draft),
        {"transition": "approve", "content_hash": draft.approval_hash()},
        follow=True,
    )
    assert "four-eyes rule" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).status == Article.Status.IN_REVIEW


def test_review_page_shows_the_changes_with_numbers_made_prominent(
    client, editor, reviewer, article
):
    article.body = article.body + "\nTake 20 tablets.\n"
    article.save()
    workflow.record_edit(article, user=editor)
    client.force_login(reviewer)
    html = client.get(
        reverse("admin:articles_article_review", args=[article.pk])
    ).content.decode()
    assert 'explanation.<ins class="flip">\n\nTake 20 tablets.</ins>' in html
    assert "number added: 20" in html


def test_publish_and_withdraw_actions_go_through_the_workflow(client, editor, reviewer):
    article = ArticleFactory()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    client.force_login(editor)

    client.post(
        CHANGELIST_URL, {"action": "publish_selected", "_selected_action": [article.pk]}
    )
    assert Article.objects.get(pk=article.pk).is_public() is True

    # The action first asks: the article is listed and still public.
    asked = client.post(
        CHANGELIST_URL,
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    assert str(article) in asked.content.decode()
    assert Article.objects.get(pk=article.pk).is_public() is True

    client.post(
        CHANGELIST_URL,
        {
            "action": "unpublish_selected",
            "_selected_action": [article.pk],
            "confirm": "withdraw",
            "reason": "Guidance under review.",
        },
    )
    assert Article.objects.get(pk=article.pk).is_public() is False
    assert article.events.first().comment == "Guidance under review."


def test_publish_action_reports_a_refusal_and_changes_nothing(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Only approved articles can be published" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).live_version is None


def test_submit_action_submits_every_selected_draft(client, editor, draft):
    other = ArticleFactory()
    workflow.record_edit(other, user=editor)
    client.force_login(editor)
    client.post(
        CHANGELIST_URL,
        {"action": "submit_selected", "_selected_action": [draft.pk, other.pk]},
    )
    assert set(Article.objects.values_list("status", flat=True)) == {"in_review"}


def test_reviewer_gets_no_publish_action(client, reviewer, draft):
    client.force_login(reviewer)
    assert "publish_selected" not in client.get(CHANGELIST_URL).content.decode()


# History: timeline, versions, draft revisions.


def test_article_page_shows_the_timeline_of_transitions(client, editor, article):
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    for entry in [
        "Submitted for review",
        "Approved",
        "Published",
        "Approved → Published",
    ]:
        assert entry in html


def test_staff_can_open_an_old_version_after_a_new_one_is_published(
    client, editor, reviewer, article
):
    old_answer = article.short_answer
    article.short_answer = "A completely new answer."
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    version_url = reverse("admin:articles_article_version", args=[article.pk, 1])

    client.force_login(editor)
    html = client.get(version_url).content.decode()
    assert old_answer in html and "A completely new answer." not in html
    assert "Version 1 of this article" in html and "replaced by version 2" in html

    client.logout()
    assert client.get(version_url).status_code == 302


def test_restore_button_brings_back_an_earlier_draft(client, editor, draft):
    old_title = draft.title
    draft.title = "Is this the newer title?"
    draft.save()
    workflow.record_edit(draft, user=editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_restore", args=[draft.pk, 1])
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).title == old_title
    assert (
        client.get(
            reverse("admin:articles_article_restore", args=[draft.pk, 1])
        ).status_code
        == 405
    )


# Reviewer queues.


def queue(client, name):
    response = client.get(CHANGELIST_URL, {"queue": name})
    return {article.pk for article in response.context["cl"].result_list}


def test_my_review_queue_lists_articles_in_review_that_i_did_not_edit(
    client, editor, reviewer
):
    waiting = ArticleFactory()
    workflow.record_edit(waiting, user=editor)
    workflow.submit_for_review(waiting, user=editor)
    edited_by_me = ArticleFactory()
    workflow.record_edit(edited_by_me, user=reviewer)
    workflow.submit_for_review(edited_by_me, user=editor)
    not_submitted = ArticleFactory()
    workflow.record_edit(not_submitted, user=editor)
    client.force_login(reviewer)
    assert queue(client, "mine") == {waiting.pk}
    assert queue(client, "in_review") == {waiting.pk, edited_by_me.pk}


def test_overdue_queue_lists_exactly_the_live_articles_past_their_review_date(
    client, editor, reviewer
):
    overdue = make_published(editor=editor, reviewer=reviewer)
    current = make_published(editor=editor, reviewer=reviewer)
    # Test setup only: QuerySet.update bypasses the versions' immutability guard.
    ArticleVersion.objects.filter(pk=overdue.live_version_id).update(
        last_reviewed_on=datetime.date(2020, 1, 1),
        next_review_due=datetime.date(2021, 1, 1),
    )
    client.force_login(reviewer)
    assert queue(client, "overdue") == {overdue.pk}
    assert current.pk not in queue(client, "overdue")


# Markdown preview endpoint (replaces markdownx's unauthenticated views).


def test_markdown_preview_renders_sanitised_html_for_editors(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin-tools/markdown-preview/",
        {"content": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_markdown_preview_is_closed_to_anonymous_visitors(client, db):
    response = client.post("/admin-tools/markdown-preview/", {"content": "**x**"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_markdown_preview_needs_change_permission(client, db):
    client.force_login(UserFactory(is_staff=True))
    response = client.post("/admin-tools/markdown-preview/", {"content": "**x**"})
    assert response.status_code == 403


def test_markdown_preview_refuses_oversized_text(client, editor):
    client.force_login(editor)
    response = client.post("/admin-tools/markdown-preview/", {"content": "x" * 200_001})
    assert response.status_code == 400


def test_markdownx_upload_and_default_preview_urls_are_not_served(client, editor):
    client.force_login(editor)
    assert client.post("/markdownx/upload/", {}).status_code == 404
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 404
    assert client.post("/admin-tools/upload-disabled/", {}).status_code == 404


def test_changelist_shows_title_topic_status_and_updated_columns(
    client, editor, article
):
    client.force_login(editor)
    html = client.get(CHANGELIST_URL).content.decode()
    for column in [
        "column-title",
        "column-topic",
        "column-status",
        "column-updated_at",
    ]:
        assert column in html
    assert article.title in html


def test_article_page_offers_only_the_buttons_that_apply(
    client, editor, reviewer, draft
):
    client.force_login(editor)
    html = client.get(change_url(draft)).content.decode()
    assert 'value="submit"' in html
    assert 'value="publish"' not in html and 'value="unpublish"' not in html

    workflow.submit_for_review(draft, user=editor)
    workflow.approve_medical_review(draft, user=reviewer)
    html = client.get(change_url(draft)).content.decode()
    assert 'value="publish"' in html and 'value="submit"' not in html


def test_moving_a_row_onto_the_place_of_a_deleted_row_saves_cleanly(
    client, editor, draft
):
    FAQFactory(article=draft, position=1, question="Stays?")
    FAQFactory(article=draft, position=2, question="Goes?")
    client.force_login(editor)
    data = change_data(draft)
    data["faqs-0-position"] = "2"
    data["faqs-1-DELETE"] = "on"

    assert client.post(change_url(draft), data).status_code == 302

    assert [(f.position, f.question) for f in draft.faqs.all()] == [(2, "Stays?")]


def test_my_queue_leaves_out_articles_under_my_own_byline(client, editor, reviewer):
    mine = ArticleFactory(author=reviewer.person)
    workflow.record_edit(mine, user=editor)
    workflow.submit_for_review(mine, user=editor)
    client.force_login(reviewer)
    assert queue(client, "mine") == set()
    page = client.get(reverse("admin:articles_article_review", args=[mine.pk]))
    assert "carries your name as its author" in page.content.decode()
    assert "Approve this exact text" not in page.content.decode()


def test_only_superusers_may_link_a_byline_to_an_account(client, editor, reviewer):
    person = reviewer.person
    client.force_login(editor)
    url = reverse("admin:articles_person_change", args=[person.pk])
    client.post(
        url,
        {
            "name": person.name,
            "slug": person.slug,
            "credentials": person.credentials,
            "bio": "",
            "user": str(editor.pk),
        },
    )
    person.refresh_from_db()
    assert person.user == reviewer
