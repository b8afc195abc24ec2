"""Load the demo topics, bylines, articles and accounts (articles/demo/content.py).

Idempotent: rows are matched by slug or username and only missing ones are
created, so running it again (as every `make run` does) never duplicates
content or overwrites edits made in the admin.

With the demo accounts, each article goes through the real workflow: the demo
editor writes and submits it, the reviewer account linked to its "Medically
reviewed by" byline approves it, and the editor publishes it. Without them
(--no-users) the articles stay drafts for real reviewers to approve.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from articles.demo import content as demo_content
from articles.demo.figures import blood_pressure_diagram
from articles.images import library
from articles.models import (
    FAQ,
    Article,
    KeyTakeaway,
    LibraryImage,
    Person,
    Reference,
    RelatedPick,
    SitePage,
    Tag,
    Topic,
)
from articles.models.site_pages import ensure_site_pages
from articles.publishing import refresh
from articles.review import roles, workflow

# Published here on purpose: these accounts exist only for local demos.
# "person" links the account to its public byline (demo_content.PEOPLE).
DEMO_USERS = [
    {
        "username": "admin",
        "password": "demo-admin-pass",
        "role": None,
        "superuser": True,
    },
    {
        "username": "editor",
        "password": "demo-editor-pass",
        "role": roles.EDITORS,
        "person": "hannah-okafor",
    },
    {
        "username": "reviewer",
        "password": "demo-reviewer-pass",
        "role": roles.MEDICAL_REVIEWERS,
        "person": "priya-raman",
    },
    {
        "username": "reviewer2",
        "password": "demo-reviewer2-pass",
        "role": roles.MEDICAL_REVIEWERS,
        "person": "eleanor-marsh",
    },
]


DEMO_FIGURE = {
    "key": "bp-ranges",  # the blood pressure article shows ![](image:bp-ranges)
    "alt_text": (
        "Four bands of blood pressure readings: low below 90/60, ideal 90/60 to "
        "120/80, raised 120/80 to 140/90, high 140/90 or higher"
    ),
    "caption": "Blood pressure ranges for adults (mmHg), as the NHS describes them.",
    "credit": "Health Answers",
    "licence": "Our own",
}


class Command(BaseCommand):
    help = "Load demo content and demo accounts (editor, medical reviewer, admin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Load the content only, without the demo accounts.",
        )
        parser.add_argument(
            "--allow-demo-users-without-debug",
            action="store_true",
            help="Create the demo accounts (whose passwords are public) even with "
            "DJANGO_DEBUG off. Never use this on a real site.",
        )

    def handle(self, *args, no_users, allow_demo_users_without_debug, **options):
        if not no_users and not settings.DEBUG and not allow_demo_users_without_debug:
            raise CommandError(
                "Refusing to create demo accounts with published passwords while "
                "DJANGO_DEBUG is off. Use --no-users to load only the content."
            )
        # One transaction, and one refresh of what visitors see at the end.
        with refresh.collecting():
            ensure_site_pages(SitePage)
            topics = self.create_topics()
            people = self.create_people()
            users = {} if no_users else self.create_users(people)
            writer = users.get("editor") or self.content_writer()
            self.create_figures(writer)  # first: an article shows one
            created = [
                data["slug"]
                for data in demo_content.ARTICLES
                if self.create_article(data, topics, people, writer, users)
            ]
            self.create_picks(created)
        total = len(demo_content.ARTICLES)
        self.stdout.write(
            f"Demo content: {len(created)} articles created, "
            f"{total - len(created)} already present."
        )
        if users:
            self.stdout.write(self.style.SUCCESS("Demo logins for /admin/:"))
            for account in DEMO_USERS:
                role = account["role"] or "superuser"
                self.stdout.write(
                    f"  {account['username']:<9} password {account['password']:<20}"
                    f" ({role})"
                )

    def create_users(self, people):
        User = get_user_model()
        users = {}
        for account in DEMO_USERS:
            person = people.get(account.get("person"))
            # Their names greet them in emails and fill the reviewer choice.
            first, _, last = person.name.partition(" ") if person else ("", "", "")
            user, created = User.objects.get_or_create(
                username=account["username"],
                defaults={
                    "is_staff": True,
                    "is_superuser": account.get("superuser", False),
                    "email": f"{account['username']}@example.org",
                    "first_name": first,
                    "last_name": last,
                },
            )
            if created:
                user.set_password(account["password"])
                user.save()
                if account["role"]:
                    user.groups.add(Group.objects.get(name=account["role"]))
            if person is not None and person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])
            users[account["username"]] = user
        return users

    def content_writer(self):
        """Without demo accounts, the drafts are written in a superuser's name."""
        writer = get_user_model().objects.filter(is_superuser=True).first()
        if writer is None:
            raise CommandError(
                "No superuser exists to own the demo drafts. "
                "Create one with `manage.py createsuperuser` or drop --no-users."
            )
        return writer

    def create_topics(self):
        topics = {}
        for data in demo_content.TOPICS:
            topic, created = Topic.objects.get_or_create(
                slug=data["slug"],
                defaults={"name": data["name"], "description": data["description"]},
            )
            if created:
                topic.full_clean()
            topics[topic.slug] = topic
        return topics

    def create_people(self):
        people = {}
        for data in demo_content.PEOPLE:
            person, _ = Person.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "credentials": data["credentials"],
                    "job_title": data["job_title"],
                    "specialty": data["specialty"],
                    "bio": data["bio"],
                },
            )
            people[person.slug] = person
        return people

    def create_figures(self, writer) -> None:
        """The image library's demo figure, drawn by us (articles/demo/figures.py)."""
        if not LibraryImage.objects.filter(key=DEMO_FIGURE["key"]).exists():
            library.add_image(blood_pressure_diagram(), user=writer, **DEMO_FIGURE)

    def create_picks(self, created: list[str]) -> None:
        """Editors' related picks, once every article they name exists."""
        for data in demo_content.ARTICLES:
            if data["slug"] not in created or not data.get("related_picks"):
                continue
            article = Article.objects.get(slug=data["slug"])
            for position, slug in enumerate(data["related_picks"], start=1):
                RelatedPick.objects.create(
                    article=article,
                    target=Article.objects.get(slug=slug),
                    position=position,
                )
            refresh.links_changed(article)

    def create_article(self, data, topics, people, writer, users) -> bool:
        """Create one demo article unless its slug exists; publish it through the
        workflow when the demo accounts exist."""
        if Article.objects.filter(slug=data["slug"]).exists():
            return False
        article = Article(
            title=data["title"],
            slug=data["slug"],
            short_answer=data["short_answer"],
            body=data["body"],
            topic=topics[data["topic"]],
            author=people[data["author"]],
        )
        article.full_clean()
        article.save()
        article.tags.set(
            Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
            for name in data.get("tags", [])
        )
        parts = [
            KeyTakeaway(article=article, position=n, text=text)
            for n, text in enumerate(data["key_takeaways"], start=1)
        ]
        parts += [
            FAQ(article=article, position=n, question=question, answer=answer)
            for n, (question, answer) in enumerate(data["faqs"], start=1)
        ]
        parts += [
            Reference(article=article, position=n, **reference)
            for n, reference in enumerate(data["references"], start=1)
        ]
        for part in parts:
            part.full_clean()
            part.save()
        workflow.record_edit(article, user=writer)
        reviewer = people[data["medical_reviewer"]].user
        if users and reviewer is not None:
            workflow.submit_for_review(article, user=writer)
            workflow.approve_medical_review(
                article, user=reviewer, comment="Demo content review."
            )
            workflow.publish(article, user=writer)
        return True
