"""bench/generate.py fills the benchmark's and load test's databases through a
shortcut around the Markdown renderer; what it publishes must be what the
real workflow would have published, or every bench number measures the wrong
pages (and a renderer change must not break `make bench` unnoticed)."""

import pytest

from articles.models import ArticleVersion
from articles.text.rendering import render_markdown
from bench.generate import generate


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_generated_versions_hold_exactly_what_the_renderer_makes():
    generate(6, seed=3, workflow_count=1, say=lambda message: None)
    versions = list(ArticleVersion.objects.live())
    assert len(versions) == 6
    for version in versions:
        assert version.body_html == render_markdown(version.body)
        assert version.faqs, version.slug
        for number, faq in enumerate(version.faqs, start=1):
            assert faq["answer_html"] == render_markdown(
                faq["answer"], cite_ids=f"faq-{number}-cite"
            )
