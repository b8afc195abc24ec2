"""The image library: hostile files refused or cleaned, pictures stored with
their renditions under content-hashed names, uploads only through the
admin's own form, and a replaced picture's old files kept."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import library, processing
from articles.models import ImageRendition, LibraryImage
from tests import images
from tests.factories import make_reviewer

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/libraryimage/add/"


@pytest.mark.parametrize(
    "data, message",
    [
        (images.SVG, "not a JPEG, PNG or WebP"),
        (images.EXECUTABLE, "not a JPEG, PNG or WebP"),
        (images.gif_bytes(), "This is a GIF file"),
        (images.png_claiming(50_000, 50_000), "over a hundred million pixels"),
        (images.png_claiming(9_000, 9_000), "9,000 x 9,000 pixels"),
        (images.jpeg_bytes()[:1500], "damaged or incomplete"),
        (images.animated_webp(), "Animated pictures are not accepted"),
        (b"", "The file is empty"),
    ],
    ids=[
        "svg",
        "exe",
        "gif",
        "bomb",
        "too-many-pixels",
        "truncated",
        "animated",
        "empty",
    ],
)
def test_hostile_or_unusable_files_are_refused_with_a_reason(data, message):
    with pytest.raises(processing.RefusedImage, match=message):
        processing.clean_upload(data)


def test_a_16_bit_scan_keeps_its_greys_and_a_phones_multi_picture_jpeg_is_taken():
    scan = io.BytesIO()
    Image.new("I;16", (40, 30), 32768).save(scan, "PNG")
    cleaned = processing.clean_upload(scan.getvalue())
    with Image.open(io.BytesIO(cleaned.data)) as picture:
        assert picture.getpixel((1, 1)) == 128  # mid-grey, not white
    photo = io.BytesIO()
    first = Image.new("RGB", (64, 48), (10, 200, 30))
    first.save(photo, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 6))])
    taken = processing.clean_upload(photo.getvalue())
    assert (taken.format, taken.width, taken.height) == ("JPEG", 64, 48)


def test_a_file_over_the_size_limit_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(processing, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(processing.RefusedImage, match="the largest we accept is"):
        processing.clean_upload(images.jpeg_bytes())


def exif_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as picture:
        return dict(picture.getexif())


def test_location_and_camera_details_do_not_survive():
    photo = images.jpeg_with_gps()
    assert 0x8825 in exif_of(photo) and b"PhoneMaker" in photo
    cleaned = processing.clean_upload(photo)
    assert exif_of(cleaned.data) == {}
    assert b"PhoneMaker" not in cleaned.data


@pytest.mark.parametrize(
    "data, payload",
    [
        (images.jpeg_bytes() + b"<script>alert(1)</script>", b"<script>"),
        (images.jpeg_polyglot(), images.POLYGLOT_COMMENT),
    ],
    ids=["script-trailer", "html-comment-polyglot"],
)
def test_nothing_but_the_picture_survives_a_polyglot(data, payload):
    assert payload in data
    assert processing.clean_upload(data).data.find(b"script") == -1
    cleaned = processing.clean_upload(data).data
    assert cleaned.endswith(b"\xff\xd9")  # the JPEG ends where its picture ends


def test_a_picture_is_stored_with_renditions_under_content_hashed_names(editor):
    image = library.add_image(
        images.jpeg_bytes(1400, 700), user=editor, alt_text="A wide red chart"
    )
    files = list(image.current_renditions())
    assert {(r.width, r.format) for r in files} == {
        (w, f) for w in (320, 640, 960, 1280, 1400) for f in ("WEBP", "JPEG")
    }
    for rendition in files:
        with default_storage.open(rendition.file.name, "rb") as stored:
            data = stored.read()
        assert rendition.file.name.endswith(
            f"{processing.Encoded(data, rendition.format, 0, 0).content_hash}."
            f"{'webp' if rendition.format == 'WEBP' else 'jpg'}"
        )
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.size == (rendition.width, rendition.height)
    assert (image.width, image.height, image.format) == (1400, 700, "JPEG")


def test_files_are_served_for_ever_and_nothing_else_is(client, editor):
    image = library.add_image(images.png_bytes(), user=editor, alt_text="A chart")
    rendition = image.current_renditions().get(format="PNG")
    response = client.get(rendition.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    for bad in [
        "/media/images/../../cms/settings.py",
        "/media/images/00/" + "0" * 64 + ".png",  # not a library file
        "/media/" + rendition.file.name.replace(".png", ".svg"),
    ]:
        assert client.get(bad).status_code == 404


def test_an_editor_uploads_through_the_admin_and_alt_text_is_required(client, editor):
    client.force_login(editor)
    missing_alt = client.post(
        ADD_URL,
        {"upload": SimpleUploadedFile("chart.png", images.png_bytes(), "image/png")},
    )
    assert missing_alt.status_code == 200
    assert "This field is required" in missing_alt.content.decode()
    svg = client.post(
        ADD_URL,
        {
            "upload": SimpleUploadedFile("chart.png", images.SVG, "image/png"),
            "alt_text": "A chart",
        },
    )
    assert "not a JPEG, PNG or WebP picture" in svg.content.decode()
    assert LibraryImage.objects.count() == 0
    assert ImageRendition.objects.count() == 0

    saved = client.post(
        ADD_URL,
        {
            "upload": SimpleUploadedFile("IMG_0042.jpg", images.jpeg_with_gps()),
            "alt_text": "A red square",
            "credit": "Our design team",
            "licence": "Our own",
        },
    )
    assert saved.status_code == 302
    image = LibraryImage.objects.get()
    assert (image.alt_text, image.credit, image.uploaded_by) == (
        "A red square",
        "Our design team",
        editor,
    )
    for rendition in image.current_renditions():
        with default_storage.open(rendition.file.name, "rb") as stored:
            assert b"PhoneMaker" not in stored.read()
        assert "IMG_0042" not in rendition.file.name


def test_a_reviewer_may_look_but_not_upload(client):
    client.force_login(make_reviewer(username="looker"))
    refused = client.post(
        ADD_URL,
        {
            "upload": SimpleUploadedFile("chart.png", images.png_bytes()),
            "alt_text": "A chart",
        },
    )
    assert refused.status_code == 403
    assert LibraryImage.objects.count() == 0
    assert client.get("/admin/articles/libraryimage/").status_code == 200


def test_replacing_the_picture_keeps_the_old_files(client, editor):
    image = library.add_image(images.png_bytes(), user=editor, alt_text="A chart")
    old = {r.file.name for r in image.current_renditions()}
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/libraryimage/{image.pk}/change/",
        {
            "upload": SimpleUploadedFile(
                "new.png", images.png_bytes(colour=(250, 200, 0))
            ),
            "alt_text": "A yellow chart",
        },
    )
    assert response.status_code == 302
    image.refresh_from_db()
    new = {r.file.name for r in image.current_renditions()}
    assert new and not new & old
    assert image.alt_text == "A yellow chart"
    for name in old:
        assert default_storage.exists(name)
        assert client.get(f"/media/{name}").status_code == 200
