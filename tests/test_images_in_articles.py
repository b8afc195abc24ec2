"""Library images in articles: shown as responsive figures, part of what the
reviewer approves, and kept exactly by the version that published them."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.images import library
from articles.models import FAQ, Article
from articles.review import workflow
from articles.review.steps import TransitionNotAllowed
from articles.text.images import image_problems
from articles.text.rendering import render_markdown
from tests import images
from tests.factories import ArticleFactory, make_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def chart(editor):
    return library.add_image(
        images.jpeg_bytes(1400, 700),
        user=editor,
        alt_text="A bar chart of resting heart rates by age",
        caption="Resting heart rate by age group.",
        credit="Health Answers",
        licence="Our own",
    )


def with_chart(chart) -> str:
    return f"## Heart rate\n\nSee below.\n\n{chart.markdown}\n\nMore text.\n"


def page_of(client, article) -> str:
    article = Article.objects.get(pk=article.pk)
    return client.get(article.live_version.get_absolute_url()).content.decode()


def test_a_published_article_shows_the_figure_responsively(
    client, editor, reviewer, chart
):
    article = make_published(
        editor=editor,
        reviewer=reviewer,
        title="Is my heart rate normal?",
        body=with_chart(chart),
    )
    html = page_of(client, article)
    figure = re.search(r"<figure class=\"figure\">.*?</figure>", html, re.S)[0]
    assert 'alt="A bar chart of resting heart rates by age"' in figure
    assert 'loading="lazy"' in figure
    assert 'width="1280"' in figure and 'height="640"' in figure  # no layout shift
    assert '<source sizes="' in figure and 'type="image/webp"' in figure
    assert re.search(r"srcset=\"[^\"]*320w, [^\"]*640w", figure)
    assert "Resting heart rate by age group." in figure
    assert "Credit: Health Answers. Licence: Our own." in figure
    for url in re.findall(r"(/media/images/[^\s\"]+)", figure):
        assert client.get(url).status_code == 200


def test_changing_the_alt_text_or_the_picture_voids_the_approval(
    client, editor, reviewer, chart
):
    article = ArticleFactory(body=with_chart(chart))
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    approved = Article.objects.get(pk=article.pk).approved_content_hash
    assert approved

    client.force_login(editor)
    url = f"/admin/articles/libraryimage/{chart.pk}/change/"
    response = client.post(
        url,
        {
            "alt_text": "A chart of heart rates",
            "caption": chart.caption,
            "credit": chart.credit,
            "licence": chart.licence,
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.approval_hash() != approved
    with pytest.raises(TransitionNotAllowed):
        workflow.publish(article, user=editor)

    # Approved again, then the picture itself is replaced.
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    client.post(
        url,
        {
            "upload": SimpleUploadedFile("new.png", images.png_bytes(300, 150)),
            "alt_text": "A chart of heart rates",
            "caption": chart.caption,
        },
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_published_version_keeps_its_picture_after_the_library_changes(
    client, editor, reviewer, chart
):
    article = make_published(editor=editor, reviewer=reviewer, body=with_chart(chart))
    before = page_of(client, article)
    old_files = set(re.findall(r"/media/images/[0-9a-f/]+\.(?:jpg|webp)", before))
    assert old_files

    library.replace_picture(chart, images.png_bytes(600, 300), user=editor)
    chart.alt_text = "Something else entirely"
    chart.save()

    after = page_of(client, article)
    assert set(re.findall(r"/media/images/[0-9a-f/]+\.(?:jpg|webp|png)", after)) == (
        old_files
    )
    assert "A bar chart of resting heart rates by age" in after
    assert "Something else entirely" not in after
    chart.delete()  # even gone from the library, its files still serve the page
    for url in old_files:
        assert client.get(url).status_code == 200

    # The working copy now names a deleted image: it cannot be published
    # again until an editor replaces it.
    article.refresh_from_db()
    with pytest.raises(ValidationError, match="There is no image"):
        article.full_clean()


def test_an_unknown_image_or_one_inside_a_sentence_is_refused(editor, chart):
    article = ArticleFactory.build(body="Text.\n\n![](image:nosuchkey)\n")
    article.topic, article.author = ArticleFactory().topic, ArticleFactory().author
    with pytest.raises(ValidationError, match="There is no image 'nosuchkey'"):
        article.full_clean()
    article.body = f"See {chart.markdown} here."
    with pytest.raises(ValidationError, match="on a line of its own"):
        article.full_clean()
    faq = FAQ(
        article=ArticleFactory(),
        position=1,
        question="Q?",
        answer="A.\n\n![](image:missing1)\n",
    )
    with pytest.raises(ValidationError, match="There is no image 'missing1'"):
        faq.full_clean()


def test_only_the_approved_snapshots_files_pass_the_sanitiser(chart, editor):
    own = chart.current_renditions().first().file.url
    other = library.add_image(images.png_bytes(), user=editor, alt_text="Another")
    elsewhere = other.current_renditions().first().file.url
    text = (
        f'<img src="https://tracker.example/p.png" alt="x">'
        f'<img src="{own}" alt="ours">'
        f'<img src="{elsewhere}" alt="not approved here">'
        f"\n\n![typed]({elsewhere})\n\n"
        '<picture><source srcset="https://evil.example/a.webp 1w"></picture>'
    )
    html = render_markdown(text, images={chart.key: chart.snapshot()})
    assert "tracker.example" not in html and "evil.example" not in html
    assert elsewhere not in html  # a library file, but not in this approval
    assert f'src="{own}"' in html
    assert html.count("<img") == 1
    assert "<img" not in render_markdown(text)  # no snapshots, no pictures
    assert any(
        "Only pictures from the image library" in p for p in image_problems(text)
    )


def test_the_backup_drill_carries_pictures_and_refuses_tampered_files(
    client, editor, reviewer, chart, tmp_path, settings
):
    import base64
    import json

    from django.core.management import call_command

    from articles.transfer import backup, backup_load
    from tests.test_backup import wipe_everything

    article = make_published(editor=editor, reviewer=reviewer, body=with_chart(chart))
    before = page_of(client, article)
    data = backup.export_data()
    assert data["library_images"][0]["key"] == chart.key
    assert data["image_files"]

    # A file altered in the export is refused, and nothing is loaded.
    tampered = json.loads(json.dumps(data))
    name = next(iter(tampered["image_files"]))
    tampered["image_files"][name] = base64.b64encode(images.SVG).decode()
    wipe_everything()
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(backup.LoadError, match="does not match its name"):
        backup_load.load_data(tampered)
    assert Article.objects.count() == 0
    # A version naming a file the export does not carry (or no file at all).
    for bad_name in [".", "images", "images/../cms/settings.py"]:
        odd = json.loads(json.dumps(data))
        version = next(a for a in odd["articles"] if a["live_version"])["versions"][-1]
        version["images"][0]["files"][0][0] = bad_name
        with pytest.raises(backup.LoadError, match="not in the export's shape"):
            backup_load.load_data(odd)
    assert Article.objects.count() == 0

    # The real file: the page comes back with the same picture and words.
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data))
    call_command("load_articles", str(path), stdout=open("/dev/null", "w"))
    restored = Article.objects.get(slug=article.slug)
    after = page_of(client, restored)
    figure = re.compile(r"<figure.*?</figure>", re.S)
    assert figure.search(after)[0] == figure.search(before)[0]
    for url in re.findall(r"/media/images/[0-9a-f/]+\.(?:jpg|webp)", after):
        assert client.get(url).status_code == 200


def test_the_page_names_its_picture_for_link_previews_and_search_engines(
    client, editor, reviewer, chart
):
    import json

    article = make_published(editor=editor, reviewer=reviewer, body=with_chart(chart))
    html = page_of(client, article)
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
    assert image.startswith("http://testserver/media/images/") and image.endswith(
        ".jpg"
    )
    assert '<meta property="og:image:width" content="1280">' in html
    assert f'<meta property="og:image:alt" content="{chart.alt_text}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S)[1])
    page = next(node for node in ld["@graph"] if node["@type"] == "MedicalWebPage")
    assert page["image"] == {
        "@type": "ImageObject",
        "url": image,
        "width": 1280,
        "height": 640,
        "caption": chart.caption,
        "creditText": "Health Answers",
        "license": "Our own",
    }


def test_the_review_page_shows_a_replaced_picture_side_by_side(
    client, editor, reviewer, chart
):
    article = make_published(editor=editor, reviewer=reviewer, body=with_chart(chart))
    old = chart.current_renditions().filter(format="WEBP").first().file.url
    client.force_login(editor)
    client.post(
        f"/admin/articles/libraryimage/{chart.pk}/change/",
        {
            "upload": SimpleUploadedFile("new.png", images.png_bytes(300, 150)),
            "alt_text": "A chart of heart rates",
        },
    )
    article.refresh_from_db()
    workflow.submit_for_review(article, user=editor, change_summary="A clearer chart.")
    client.force_login(reviewer)
    html = client.get(f"/admin/articles/article/{article.pk}/review/").content.decode()
    section = html[html.index(f"Image {chart.key} (picture replaced)") :]
    section = section[: section.index("</section>")]
    chart.refresh_from_db()
    new = chart.current_renditions().filter(format="WEBP").first().file.url
    assert section.index(f'src="{old}"') < section.index(f'src="{new}"')
    assert "Before: 1400 x 700 px" in section and "Now: 300 x 150 px" in section
    assert "<del>" in section  # the words removed from the alt text and caption


def test_an_faq_answer_can_show_a_library_picture(client, editor, reviewer, chart):
    article = ArticleFactory(title="How fast should my heart beat?")
    FAQ.objects.create(
        article=article,
        position=1,
        question="What is normal for my age?",
        answer=f"See the chart.\n\n{chart.markdown}\n",
    )
    make_published(article, editor=editor, reviewer=reviewer)
    html = page_of(client, article)
    faq = html[html.index('id="faq-1"') :]
    assert f'alt="{chart.alt_text}"' in faq
    version = Article.objects.get(pk=article.pk).live_version
    assert [image["key"] for image in version.images] == [chart.key]


def test_partners_get_the_pictures_with_absolute_addresses(
    client, editor, reviewer, chart
):
    from articles.models import PartnerKey

    article = make_published(editor=editor, reviewer=reviewer, body=with_chart(chart))
    _, secret = PartnerKey.issue(partner="Clinic", created_by=None)
    slug = Article.objects.get(pk=article.pk).live_version.slug
    detail = client.get(f"/api/v1/articles/{slug}", HTTP_X_API_KEY=secret).json()
    [image] = detail["images"]
    assert (image["key"], image["alt_text"]) == (chart.key, chart.alt_text)
    assert {f["format"] for f in image["files"]} == {"WEBP", "JPEG"}
    for file in image["files"]:
        assert file["url"].startswith("http://testserver/media/images/")
        path = file["url"].removeprefix("http://testserver")
        assert client.get(path).status_code == 200


def test_deleting_an_image_voids_the_approvals_of_the_articles_showing_it(
    client, django_user_model, editor, reviewer, chart
):
    article = ArticleFactory(body=with_chart(chart))
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    admin_user = django_user_model.objects.create_superuser("root", "r@example.org")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/articles/libraryimage/{chart.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not article.approved_content_hash
