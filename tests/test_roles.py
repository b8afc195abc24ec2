import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.review import roles

pytestmark = pytest.mark.django_db


def group_codenames(name):
    return set(
        Group.objects.get(name=name).permissions.values_list("codename", flat=True)
    )


def test_migration_creates_both_roles_with_exactly_their_permissions():
    for name, codenames in roles.ROLE_PERMISSIONS.items():
        assert group_codenames(name) == codenames


def test_only_editors_may_publish_and_only_reviewers_may_review():
    assert "publish_article" in group_codenames(roles.EDITORS)
    assert "review_article" not in group_codenames(roles.EDITORS)
    assert "review_article" in group_codenames(roles.MEDICAL_REVIEWERS)
    assert "publish_article" not in group_codenames(roles.MEDICAL_REVIEWERS)


def test_nobody_but_superusers_may_delete_whole_articles():
    for name in roles.ROLE_PERMISSIONS:
        assert "delete_article" not in group_codenames(name)


def test_sync_roles_restores_drifted_permissions_idempotently(capsys):
    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.clear()
    call_command("sync_roles")
    call_command("sync_roles")
    assert group_codenames(roles.EDITORS) == roles.ROLE_PERMISSIONS[roles.EDITORS]
    expected = len(roles.ROLE_PERMISSIONS[roles.EDITORS])
    assert f"Editors: {expected} permissions" in capsys.readouterr().out
