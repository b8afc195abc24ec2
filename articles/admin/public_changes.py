"""One refresh per admin request (publishing/refresh.py)."""

from articles.publishing import refresh


class CollectsPublicChanges:
    """Whatever one admin request changes that visitors see is applied once,
    when the request's work is done (publishing/refresh.py): one bulk action
    over twenty articles moves the public-content counter and purges once."""

    def changeform_view(self, *args, **kwargs):
        with refresh.collecting():
            return super().changeform_view(*args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        with refresh.collecting():
            return super().changelist_view(*args, **kwargs)

    def delete_view(self, *args, **kwargs):
        with refresh.collecting():
            return super().delete_view(*args, **kwargs)

    def collecting_view(self, view):
        """An extra admin view (a workflow button) that changes public content."""

        def collecting(*args, **kwargs):
            with refresh.collecting():
                return view(*args, **kwargs)

        return self.admin_site.admin_view(collecting)
