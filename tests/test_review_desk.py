"""The review desk around the workflow rules: the review page, comparing
texts, the confirmation pages for withdrawal and periodic review, and what the
change form tells an editor."""

import pytest
from django.urls import reverse

from articles.models import FAQ, Article, ReviewEvent
from articles.review import workflow
from tests.factories import ArticleFactory, make_published, make_reviewer, republish
from tests.forms import form_data

pytestmark = pytest.mark.django_db
Action = ReviewEvent.Action


def review_url(article, **query):
    url = reverse("admin:articles_article_review", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(article, editor, **changes):
    article.refresh_from_db()
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    return workflow.record_edit(article, user=editor)


@pytest.fixture
def in_review(editor):
    article = ArticleFactory(body="## Dose\n\nTake 2 tablets.\n")
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, comment="First draft, please check the dose."
    )
    return article


def test_the_decision_comes_before_the_text_and_names_the_submitter(
    client, in_review, reviewer, editor
):
    client.force_login(reviewer)
    html = client.get(review_url(in_review)).content.decode()
    decision = html.index("Approve this exact text")
    assert decision < html.index("Take 2 tablets.")
    assert "Submitted for review by" in html and editor.get_username() in html
    assert "First draft, please check the dose." in html


def test_a_new_article_is_read_rendered_with_the_source_one_click_away(
    client, in_review, reviewer
):
    client.force_login(reviewer)
    html = client.get(review_url(in_review)).content.decode()
    assert '<div class="rendered-article">' in html
    assert '<h2 id="dose">Dose</h2>' in html or ">Dose</h2>" in html
    assert "## Dose" not in html  # no raw Markdown on the default view
    assert 'href="?view=source"' in html
    source = client.get(review_url(in_review, view="source")).content.decode()
    assert "## Dose" in source and "<ins" in source


def test_a_re_review_compares_with_what_this_reviewer_saw_last(
    client, in_review, reviewer, editor
):
    workflow.request_changes(in_review, user=reviewer, comment="Say when to see a GP.")
    edit(
        in_review, editor, body="## Dose\n\nTake 2 tablets.\n\nSee a GP after 3 days.\n"
    )
    workflow.submit_for_review(in_review, user=editor)
    client.force_login(reviewer)
    html = client.get(review_url(in_review)).content.decode()
    assert "what you saw when you asked for changes" in html
    # Only the new sentence is marked; the unchanged dose is not.
    assert "See a GP after" in html
    assert 'Take 2 tablets.<ins class="flip">\n\nSee a GP after 3 days.</ins>' in html
    body_diff = html[html.index("<h2>Body</h2>") :]
    assert "<del" not in body_diff.split("</section>")[0]


def test_approve_from_the_review_page(client, in_review):
    other = make_reviewer()
    client.force_login(other)
    page = client.get(review_url(in_review)).content.decode()
    content_hash = page.split('name="content_hash" value="')[1].split('"')[0]
    client.post(
        reverse("admin:articles_article_workflow", args=[in_review.pk]),
        {"transition": "approve", "content_hash": content_hash, "comment": ""},
    )
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.APPROVED
    assert in_review.approved_by == other


def test_the_editor_sees_the_request_for_changes_at_the_top_of_the_form(
    client, in_review, reviewer, editor
):
    workflow.request_changes(
        in_review, user=reviewer, comment="The dose is wrong for children."
    )
    client.force_login(editor)
    html = client.get(change_url(in_review)).content.decode()
    comment = html.index("The dose is wrong for children.")
    assert comment < html.index('name="title"')
    assert "Changes requested by" in html


def test_editing_approved_text_warns_before_and_after(client, in_review, editor):
    approver = make_reviewer(first_name="Asha", last_name="Rao")
    workflow.approve_medical_review(in_review, user=approver)
    client.force_login(editor)
    html = client.get(change_url(in_review)).content.decode()
    assert html.count("voids that approval") == 2  # at the top and by the save buttons
    data = form_data(
        client,
        change_url(in_review),
        "article_form",
        body="## Dose\r\n\r\nTake 1 tablet.\r\n",
    )
    response = client.post(change_url(in_review), data, follow=True)
    shown = response.content.decode()
    assert "approval by Asha Rao no longer applies" in shown
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.DRAFT and in_review.approved_by is None


def test_withdrawal_needs_its_page_and_a_reason(client, article, editor):
    client.force_login(editor)
    # The old one-click button no longer withdraws: it leads to the page.
    response = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"transition": "unpublish"},
    )
    assert response.url == reverse("admin:articles_article_withdraw", args=[article.pk])
    url = reverse("admin:articles_article_withdraw", args=[article.pk])
    page = client.get(url).content.decode()
    assert str(article) in page and "a reason is required" not in page
    refused = client.post(url, {"reason": "   "}).content.decode()
    assert "a reason is required" in refused
    article.refresh_from_db()
    assert article.is_public()
    client.post(url, {"reason": "Guidance withdrawn by NICE."})
    article.refresh_from_db()
    assert not article.is_public()
    event = article.events.first()
    assert (event.action, event.comment) == (
        Action.UNPUBLISH,
        "Guidance withdrawn by NICE.",
    )


def test_bulk_withdrawal_lists_every_article_and_needs_a_reason(
    client, editor, reviewer
):
    live = [make_published(editor=editor, reviewer=reviewer) for _ in range(3)]
    changelist = reverse("admin:articles_article_changelist")
    client.force_login(editor)
    selected = [a.pk for a in live]
    page = client.post(
        changelist, {"action": "unpublish_selected", "_selected_action": selected}
    )
    html = page.content.decode()
    assert all(str(a) in html for a in live)
    assert "Withdraw 3 articles from the site" in html
    no_reason = client.post(
        changelist,
        {
            "action": "unpublish_selected",
            "_selected_action": selected,
            "confirm": "withdraw",
            "reason": "",
        },
    )
    assert "a reason is required" in no_reason.content.decode()
    assert Article.objects.public().count() == 3
    client.post(
        changelist,
        {
            "action": "unpublish_selected",
            "_selected_action": selected,
            "confirm": "withdraw",
            "reason": "Recall.",
        },
    )
    assert Article.objects.public().count() == 0


def test_periodic_review_shows_the_text_and_needs_the_attestation(client, article):
    second = make_reviewer()
    url = reverse("admin:articles_article_reconfirm", args=[article.pk])
    client.force_login(second)
    page = client.get(url).content.decode()
    assert article.live_version.body_html.strip()[:40] in page
    assert "I have read this text and its" in page
    number = article.live_version.number
    content_hash = article.live_version.content_hash
    refused = client.post(url, {"content_hash": content_hash}).content.decode()
    assert "Confirm that you have read the text" in refused
    article.refresh_from_db()
    assert article.live_version.number == number
    client.post(
        url, {"content_hash": content_hash, "attest": "on", "comment": "Checked NICE."}
    )
    article.refresh_from_db()
    assert article.live_version.number == number + 1
    event = article.events.first()
    assert event.action == Action.RECONFIRM
    assert event.comment.startswith(
        "Attested: I have read the live text and its sources"
    )
    assert event.comment.endswith("Checked NICE.")


def test_reconfirming_text_that_moved_is_refused(article):
    second = make_reviewer()
    with pytest.raises(
        workflow.TransitionNotAllowed, match="changed while you were reading"
    ):
        workflow.reconfirm_review(
            article, user=second, attested=True, seen_content_hash="stale"
        )


def test_compare_any_two_texts(client, article, editor, reviewer):
    edit(article, editor, short_answer="Yes, for most adults.")
    client.force_login(reviewer)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    html = client.get(url + "?from=v1&to=draft").content.decode()
    assert (
        "Yes, <del>in</del><ins>for</ins> most <del>cases</del><ins>adults</ins>."
        in html
    )
    assert (
        "Question" not in html.split("review-legend")[1].split("<h2>")[1]
    )  # unchanged hidden
    first = article.revisions.order_by("number").first().number
    assert client.get(url + f"?from=r{first}&to=draft").status_code == 200
    assert client.get(url + "?from=v99&to=draft").status_code == 404
    assert client.get(url + "?from=x1&to=draft").status_code == 404


def test_inserting_a_faq_marks_only_that_faq_on_the_review_page(
    client, article, editor, reviewer
):
    for position, question in enumerate(
        ["Can children take it?", "Can I drink alcohol?"], 1
    ):
        FAQ.objects.create(
            article=article,
            position=position,
            question=question,
            answer="No, avoid it.",
        )
    republish(article, editor=editor, reviewer=make_reviewer())
    FAQ.objects.filter(article=article, position=2).update(position=3)
    FAQ.objects.create(
        article=article,
        position=2,
        question="Is it safe in pregnancy?",
        answer="Ask your GP.",
    )
    workflow.record_edit(article, user=editor)
    client.force_login(reviewer)
    html = client.get(review_url(article)).content.decode()
    assert "FAQ 2 (added)" in html
    assert "FAQ 3 (was 2)" not in html  # unchanged, so not listed on "What changed"
    assert "negation removed" not in html
