from django.core.management.base import BaseCommand

from articles.publishing.stored_pages import render_missing


class Command(BaseCommand):
    help = (
        "Render and store the article pages that have no up-to-date stored copy "
        "(run after deploying changed article templates; pages also render "
        "themselves on their first visit)."
    )

    def handle(self, *args, **options):
        count = render_missing()
        self.stdout.write(f"{count} article page(s) rendered.")
