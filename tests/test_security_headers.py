"""Security headers on public and admin pages (settings: CSP, SecurityMiddleware)."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(response) -> dict[str, str]:
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    return dict(d.split(" ", 1) for d in directives if d)


def public_urls(article):
    return [
        "/",
        article.get_absolute_url(),
        article.topic.get_absolute_url(),
        "/search/?q=pressure",
        "/about/editorial-policy/",
        "/no-such-page/",
    ]


def test_public_pages_send_a_strict_content_security_policy(client, article):
    for url in public_urls(article):
        response = client.get(url)
        assert policy_of(response) == POLICY, url
        # Nothing in that policy allows inline code or other hosts.
        header = response["Content-Security-Policy"]
        assert "unsafe" not in header and "http" not in header and "*" not in header


def test_public_pages_have_no_inline_script_or_style(client, article):
    """Under the policy above an inline script would not run, so there must be
    none (JSON-LD is data, not script); inline styles likewise."""
    for url in public_urls(article):
        html = client.get(url).content.decode()
        for tag in _script_tags(html):
            assert 'type="application/ld+json"' in tag or "src=" in tag, (url, tag)
        assert "<style" not in html.lower(), url
        assert " style=" not in html.lower(), url
        assert re.search(r"\son[a-z]+\s*=", html, flags=re.IGNORECASE) is None, url


def test_admin_pages_send_the_policy_and_the_editor_needs_nothing_inline(
    admin_client, article
):
    for url in [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/article/add/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert policy_of(response) == POLICY, url
        html = response.content.decode()
        for tag in _script_tags(html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)


def _script_tags(html):
    return re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)


def test_other_protective_headers(client, article):
    response = client.get(article.get_absolute_url())
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_sends_hsts_and_redirects_plain_http(client):
    insecure = client.get("/")
    assert insecure.status_code == 301
    assert insecure["Location"].startswith("https://")
    # Load balancers probe over plain HTTP inside the network.
    assert client.get("/healthz").status_code == 200
    secure = client.get("/admin/login/", secure=True)
    assert secure["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert secure.cookies["csrftoken"]["secure"]
