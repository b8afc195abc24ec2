"""axe-core on the staff pages we build (dashboard, change form panels, review,
compare, withdrawal and periodic-review pages). Violations inside our own
markup fail the test; any inside Django's admin templates are printed (run
with -s) so they can be listed, since we do not own that markup."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from articles.review import workflow
from tests.browser.conftest import AXE_JS, EDITOR, REVIEWER, log_in, missing_tool
from tests.browser.test_accessibility import AXE_TAGS, format_axe_violations

pytestmark = pytest.mark.browser

# The parts of a staff page that come from our templates.
OURS = ", ".join(
    [
        ".desk-sections",
        ".workflow-panel",
        ".review-page",
        ".confirm-page",
        ".part-comments",
        ".article-history",
        ".approval-warning",
        ".rendered-article",
    ]
)
SLUG = "what-is-a-normal-blood-pressure-reading"


def staff_pages(article_id: int) -> dict[str, str]:
    base = f"/admin/articles/article/{article_id}"
    return {
        "dashboard": "/admin/",
        "article list": "/admin/articles/article/",
        "change form": f"{base}/change/",
        "review (what changed)": f"{base}/review/",
        "review (rendered)": f"{base}/review/?view=rendered",
        "review (source)": f"{base}/review/?view=source",
        "compare": f"{base}/compare/?from=v1&to=draft&all=1",
        "withdraw": f"{base}/withdraw/",
        "periodic review": f"{base}/reconfirm/",
    }


def put_in_review(article: Article) -> None:
    """A small edit by the demo editor, submitted, so the review page has a decision."""
    editor = get_user_model().objects.get(username=EDITOR[0])
    article.short_answer = article.short_answer.replace("normal", "healthy", 1)
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor, change_summary="Plainer wording.")


@pytest.mark.parametrize("account", [EDITOR, REVIEWER], ids=["editor", "reviewer"])
def test_our_staff_templates_have_no_axe_violations(new_page, demo, account):
    if not AXE_JS.is_file():
        missing_tool(f"axe-core is not installed ({AXE_JS} is missing).")
    article = Article.objects.get(slug=SLUG)
    put_in_review(article)
    page, problems = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, *account)
    ours, djangos, refused, loading = [], [], [], []
    for name, url in staff_pages(article.pk).items():
        problems.clear()
        response = page.goto(url)
        if response.status == 403:  # an editor may not open the reviewer's page
            refused.append(page.url)
            continue
        assert response.status == 200, f"{name} {url}: {response.status}"
        # Problems while the page loads count; axe's own probing of the page
        # (it sets inline styles, which the CSP refuses) does not.
        loading += [f"{name}: {line}" for line in problems.all()]
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        violations = page.evaluate(
            """([tags, ours]) => axe.run(document, {runOnly: {type: "tag", values: tags}})
            .then(results => results.violations.map(violation => {
                const inOurs = node => {
                    const element = document.querySelector(node.target[0]);
                    return element !== null && element.closest(ours) !== null;
                };
                return {
                    ...violation,
                    ours: violation.nodes.filter(inOurs),
                    theirs: violation.nodes.filter(node => !inOurs(node)),
                };
            }))""",
            [AXE_TAGS, OURS],
        )
        for violation in violations:
            if violation["ours"]:
                ours.append(
                    f"{name} {url}:\n"
                    + format_axe_violations([{**violation, "nodes": violation["ours"]}])
                )
            if violation["theirs"]:
                djangos.append(
                    f"{name}: {violation['id']} in Django's markup, {len(violation['theirs'])} node(s)"
                )
    for line in djangos:
        print("axe, Django admin template:", line)
    assert not ours, "axe-core found violations in our templates:\n" + "\n".join(ours)
    assert not loading, "\n".join(loading)
