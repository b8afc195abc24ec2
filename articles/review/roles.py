"""The editorial roles as Django groups, and the permissions each one holds.

Code checks permissions, never group names; the groups only bundle them. The
data migration and the `sync_roles` command both call apply_roles(), so the
roles can be re-applied at any time without duplicates.
"""

EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"

_CONTENT_MODELS = ["article", "faq", "keytakeaway", "reference"]
_WRITE = ["add", "change", "view"]
EVIDENCE_PERMISSIONS = [
    "view_problemreport",
    "change_problemreport",
    "view_sourcecheck",
]

ROLE_PERMISSIONS: dict[str, set[str]] = {
    EDITORS: {
        *(f"{action}_{model}" for model in _CONTENT_MODELS for action in _WRITE),
        # Removing an FAQ, takeaway or reference is part of editing; deleting a
        # whole article is not: it is unpublished instead, and kept.
        "delete_faq",
        "delete_keytakeaway",
        "delete_reference",
        "add_topic",
        "change_topic",
        "view_topic",
        "add_person",
        "change_person",
        "view_person",
        # Tags are how an editor helps related questions find each other
        # (article admin, "Finding related questions").
        "add_tag",
        "change_tag",
        "view_tag",
        # Editors pick related questions (the article admin's "related
        # questions picked by editors"); a pick is a link, not reviewed text.
        "add_relatedpick",
        "change_relatedpick",
        "delete_relatedpick",
        "view_relatedpick",
        # Synonyms ("hypertension = high blood pressure") help related
        # questions find each other, as tags do.
        # The image library: editors upload and describe pictures.
        "add_libraryimage",
        "change_libraryimage",
        "view_libraryimage",
        "add_synonymgroup",
        "change_synonymgroup",
        "delete_synonymgroup",
        "view_synonymgroup",
        "publish_article",
        # Readers' problem reports are triaged by whoever can fix the text;
        # link checks are read-only for everyone (the checker writes them).
        *EVIDENCE_PERMISSIONS,
    },
    MEDICAL_REVIEWERS: {
        *(f"{action}_{model}" for model in _CONTENT_MODELS for action in _WRITE),
        "delete_faq",
        "delete_keytakeaway",
        "delete_reference",
        "view_topic",
        "view_person",
        "view_tag",
        "view_synonymgroup",
        "view_libraryimage",
        "review_article",
        *EVIDENCE_PERMISSIONS,
    },
}


def apply_roles(
    group_model, permission_model, *, strict=True, models: set[str] | None = None
) -> dict[str, int]:
    """Make each role group hold exactly its listed permissions; return the counts.

    strict=False is for the first roles migration, which runs before later
    migrations add models (tags); the migration that adds permissions for
    them applies the roles again, strictly. `models` (lower-case model names)
    limits the roles to the models a migration's historical state has."""
    counts = {}
    for group_name, codenames in ROLE_PERMISSIONS.items():
        if models is not None:
            codenames = {c for c in codenames if c.split("_", 1)[1] in models}
        group, _ = group_model.objects.get_or_create(name=group_name)
        permissions = list(
            permission_model.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )
        found = {permission.codename for permission in permissions}
        missing = codenames - found
        if missing and strict:
            raise LookupError(
                f"Permissions missing for {group_name}: {', '.join(sorted(missing))}. "
                "Run migrate first."
            )
        group.permissions.set(permissions)
        counts[group_name] = len(permissions)
    return counts


def apply_roles_in_migration(apps, *, strict=True) -> None:
    """apply_roles() from a data migration, with the historical models.
    Permissions are normally created after all migrations; they are created
    now so the groups can hold them on a fresh database."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    apply_roles(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        strict=strict,
        models={
            m._meta.model_name for m in apps.get_app_config("articles").get_models()
        },
    )
