"""Synthetic published articles for the benchmark, created fast.

Every article looks like a real one in size and shape: a question title, a
one- or two-sentence short answer, a Markdown body of about 1,200 words (## and
### headings, a numbered and a bulleted list, a table of studies), 5 FAQs, 5 key
takeaways, 3 references, 2 or 3 tags (the first one follows the subject), a
topic shared by the subject's articles (about 100 articles per topic),
an author and a reviewer byline, and published, with related links computed.

Publishing one article through articles.review.workflow costs a draft revision, three
transitions, a snapshot and a refresh of the related links of it and its
neighbours (see `workflow_publish`, which times a few). For thousands of
articles the rows are written the same way in bulk instead:

- Article, FAQ, KeyTakeaway, Reference and tag rows with bulk_create;
- one ArticleVersion per article built by ArticleVersion.from_article (so the
  snapshot's HTML, FAQs and fingerprint are made by the project's own code),
  stamped as the workflow stamps a first publication (number 1, publication,
  reviewer, approved_by, published_by, dates), then bulk_create;
- the draft revision and the submit, approve and publish events of that path;
- Article.status/live_version/approval fields with bulk_update;
- search_index.index_missing_versions() (PostgreSQL full-text vectors);
- the related links of every article, as related.compute_all_links() would store
  them, computed in memory (`_related_rows`: the same candidates, scores and
  FAQ links, without two queries per article over hundreds of candidates); a
  sample is recomputed with related.compute_links() and must come out the same;
- VACUUM ANALYZE on PostgreSQL, as autovacuum would do soon after such a load
  (so that it does not do it during the measurements).

Markdown is rendered once per distinct text: bodies are an article's own
opening paragraph followed by its subject's shared body, and the HTML of
the whole is the HTML of the two parts (checked against render_markdown on a
sample). FAQ answers come from a shared pool.
"""

import datetime
import functools
import heapq
import random
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from articles.models import (
    FAQ,
    Article,
    ArticleVersion,
    DraftRevision,
    KeyTakeaway,
    Person,
    Reference,
    RelatedLink,
    RelatedPick,
    ReviewEvent,
    Tag,
    Topic,
    add_months,
    content_fingerprint,
)
from articles.models import versions as version_models
from articles.publishing import related, search_index
from articles.publishing import stored_pages as pages
from articles.review import roles, workflow
from articles.text.rendering import render_markdown

ARTICLES_PER_TOPIC = 100
FAQ_ANSWERS = 80
BATCH = 500
# The article whose page the benchmark measures, and the word it searches for.
SEARCH_WORD = "pressure"

# Vocabulary ------------------------------------------------------------------

SUBJECTS = """high blood pressure|type 2 diabetes|migraine|asthma|eczema|insomnia|
iron deficiency|back pain|acid reflux|hay fever|anxiety|morning sickness|a urinary
tract infection|psoriasis|gout|osteoarthritis|irritable bowel syndrome|high
cholesterol|an underactive thyroid|tonsillitis|a chest infection|shingles|chickenpox|
head lice|constipation|heartburn|sciatica|knee pain|neck pain|period pain|tinnitus|
vertigo|dry eye|conjunctivitis|a sprained ankle|plantar fasciitis|restless legs|sleep
apnoea|snoring|acne|rosacea|cold sores|athlete's foot|a fungal nail infection|
haemorrhoids|varicose veins|low blood pressure|a heart murmur|palpitations|
atrial fibrillation|anaemia|coeliac disease|lactose intolerance|food allergies|
a peanut allergy|hives|a persistent cough|sinusitis|earache|glue ear""".replace(
    "\n", " "
)
SUBJECTS = [s.strip() for s in SUBJECTS.split("|")]
ACTIVITIES = """exercise|running|swimming|drinking coffee|drinking alcohol|flying|
fasting|taking ibuprofen|taking paracetamol|eating spicy food|yoga|lifting weights|
working night shifts|using a sauna|cycling|drinking green tea|sleeping on your back|
a hot bath|cold water swimming|screen time before bed|intermittent fasting|
a long car journey|a plant-based diet|stretching|gardening""".replace("\n", " ")
ACTIVITIES = [s.strip() for s in ACTIVITIES.split("|")]
GROUPS = """children|teenagers|older adults|pregnant women|people over 60|new mothers|
athletes|shift workers|toddlers|people with diabetes|students|men over 50""".replace(
    "\n", " "
)
GROUPS = [s.strip() for s in GROUPS.split("|")]
FACTORS = """stress|poor sleep|alcohol|smoking|being overweight|a high-salt diet|
dehydration|cold weather|hormonal changes|caffeine|sitting for long periods|
vitamin D deficiency|air pollution|a family history|certain medicines|
a sedentary job|skipping breakfast|loud music|tight clothing|screen use""".replace(
    "\n", " "
)
FACTORS = [s.strip() for s in FACTORS.split("|")]

QUESTIONS = [
    "Can {activity} make {subject} worse?",
    "Is it safe to try {activity} with {subject}?",
    "Does {activity} help with {subject}?",
    "Should you avoid {activity} if you have {subject}?",
    "How does {activity} affect {subject}?",
    "Can {activity} trigger {subject}?",
    "Is {activity} good or bad for {subject}?",
    "When can you start {activity} again after {subject}?",
    "How long does {subject} last in {group}?",
    "When should {group} see a doctor about {subject}?",
    "How common is {subject} in {group}?",
    "What are the first signs of {subject} in {group}?",
    "How is {subject} treated in {group}?",
    "Can {group} take medicine for {subject}?",
    "Why do {group} get {subject}?",
    "What helps {subject} in {group} at home?",
    "Does {factor} increase the risk of {subject}?",
    "Can {factor} cause {subject}?",
    "Is {subject} linked to {factor}?",
    "How much does {factor} matter for {subject}?",
    "Can {factor} make {subject} come back?",
]

HEADINGS = """Understanding the basics|What causes it|Common symptoms|How it is
diagnosed|Treatment options|Everyday steps that help|Risks and complications|
Living with the condition|Myths and facts|Prevention|Special situations|Medicines
and their side effects|Diet and lifestyle|Looking after yourself at home|How long
recovery takes|Who is most at risk|Questions to ask your doctor|Support and
information""".replace("\n", " ")
HEADINGS = [s.strip() for s in HEADINGS.split("|")]

SENTENCES = """Symptoms often vary from person to person, and the same person may
notice different symptoms at different times.|Most people find that small,
steady changes work better than large changes made all at once.|A doctor or
pharmacist can help you weigh the likely benefits against the possible side
effects.|Keeping a simple diary of symptoms, sleep and meals for two weeks often
shows a pattern that is otherwise easy to miss.|It is common to feel worried,
but serious complications are rare when the condition is recognised early.|Some
people need treatment for a few weeks, while others manage well with no treatment
at all.|Studies that follow large groups of people over many years give the most
reliable picture of long-term risk.|The evidence from small studies is mixed, so
the advice may change as better research is published.|Regular physical activity,
enough sleep and a balanced diet help with many long-term conditions.|If symptoms
get worse quickly, or you feel very unwell, get medical help the same day.|Pain
that wakes you at night or comes with a fever should be checked by a clinician.|
Over-the-counter pain relief can help in the short term, but read the leaflet and
do not take more than the stated dose.|Children and older adults may show
different signs and can become unwell more quickly.|Drinking enough fluids
through the day matters more than the exact amount, which depends on the weather
and how active you are.|A blood test or a simple examination is often enough to
confirm the diagnosis.|Treatment usually starts with the simplest option and
moves on only if symptoms do not improve.|Many people notice an improvement
within two to four weeks of starting a new routine.|Stopping a prescribed medicine
suddenly can cause problems, so talk to your doctor first.|Smoking makes many
conditions worse, and stopping helps at any age.|Alcohol can interact with some
medicines and can disturb sleep even in small amounts.|Your pharmacist can tell
you whether a remedy is safe to combine with medicines you already take.|Stress
does not cause most conditions on its own, but it can make symptoms feel worse.|
Support groups and reliable charities offer practical tips from people with the
same experience.|Write down your questions before an appointment so you do not
forget the ones that matter most.|A follow-up appointment is a good time to check
whether the treatment is working as expected.|Some symptoms overlap with other
conditions, which is why a proper assessment is worthwhile.|In pregnancy, check
with your midwife or doctor before starting any new medicine or supplement.|
Gentle movement often helps joint and back pain more than complete rest.|Heat or
cold packs can ease muscle pain, but protect your skin with a cloth.|Good sleep
habits include a regular bedtime, a dark and quiet room and no screens for an
hour before sleep.|Weight loss of even five per cent of body weight can make a
measurable difference.|Eating more vegetables, fruit, beans and whole grains is
linked with better long-term health.|Most guidelines recommend at least 150
minutes of moderate activity a week, spread over several days.|Reading food
labels helps you spot hidden salt and sugar in everyday foods.|A normal result
does not always rule out the condition, so further tests are sometimes needed.|
Vaccination protects against several infections that can cause serious illness.|
Washing your hands well and often is one of the simplest ways to avoid
infections.|Antibiotics do not work against viruses, so they do not help with
colds or most sore throats.|Your doctor may suggest a referral to a specialist if
the diagnosis is unclear.|Clear information about the risks helps people make
choices that suit their own lives.|Long-term conditions often improve with a plan
agreed between you and your care team.|Keep medicines in their original packaging
and out of the reach of children.|If you are unsure whether something is urgent,
a telephone advice line can help you decide.|Mild symptoms usually settle on their
own within a week or two.|Pain relief works best when it is taken regularly for a
short time rather than only when pain is severe.|Checking your blood pressure at
home gives a truer picture than a single reading in a clinic.|People with other
health conditions may need a different approach.|Taking time to rest and recover
is part of treatment, not a sign of weakness.|A healthy routine is easier to keep
when it fits around work, family and the things you enjoy.|Talking to friends or
family about how you feel can make a real difference.""".replace("\n", " ")
SENTENCES = [s.strip() for s in SENTENCES.split("|")]

STUDIES = [
    ("Cohort study", "12,400 adults", "lower risk with regular activity"),
    ("Randomised trial", "860 patients", "symptoms improved after 12 weeks"),
    ("Systematic review", "38 studies", "small benefit, low certainty"),
    ("Case-control study", "2,100 people", "no clear link found"),
    ("Randomised trial", "312 children", "faster recovery with treatment"),
    ("Cohort study", "45,000 women", "risk rose with daily use"),
    ("Meta-analysis", "21 trials", "moderate benefit over placebo"),
    ("Cross-sectional survey", "5,600 adults", "symptoms common but under-reported"),
]

JOURNALS = [
    "Journal of Example Medicine",
    "Example Clinical Reviews",
    "Annals of Illustrative Health",
    "Example Family Practice",
    "Sample Public Health Reports",
]
SURNAMES = "Okafor Reyes Raman Marsh Lindqvist Haddad Novak Tanaka Mensah Byrne".split()

AUTHORS = [
    ("Hannah Okafor", "MPH"),
    ("Daniel Reyes", "BSc"),
    ("Sofia Lindqvist", "MSc"),
    ("Tom Byrne", ""),
    ("Amara Mensah", "RN"),
    ("Kenji Tanaka", "PhD"),
]
REVIEWERS = [
    ("Priya Raman", "MBBS, MRCGP"),
    ("Eleanor Marsh", "MD, FAAP"),
    ("Omar Haddad", "MD, FACC"),
    ("Lena Novak", "MBChB, MRCP"),
]
TAGS = """sleep|medicines|exercise|diet|pregnancy|children|older adults|pain|
infections|skin|heart|lungs|digestion|mental health|allergies|hormones|joints|
eyes|ears|women's health|men's health|first aid|travel|vaccines|screening|
self-care|long-term conditions|weight|alcohol|smoking""".replace("\n", " ")
TAGS = [s.strip() for s in TAGS.split("|")]


# Text --------------------------------------------------------------------------


def _paragraph(rng: random.Random, sentences: int, pool=SENTENCES) -> str:
    return " ".join(rng.sample(pool, sentences))


def _shared_body(rng: random.Random, index: int) -> str:
    """About 1,150 words of Markdown, the same for many articles. Only every
    fourth one talks about blood pressure, so the search word is in some
    articles, not all (also in questions about high or low blood pressure)."""
    pool = [s for s in SENTENCES if index % 4 == 0 or SEARCH_WORD not in s.lower()]
    paragraph = functools.partial(_paragraph, pool=pool)
    headings = rng.sample(HEADINGS, 6)
    numbered = "\n".join(
        f"{n}. **{label}:** {paragraph(rng, 1)} {paragraph(rng, 1).lower()}"
        for n, label in enumerate(
            ["Rest", "Fluids", "Pain relief", "Movement", "Follow-up"], start=1
        )
    )
    bullets = "\n".join(f"- {rng.choice(pool)}" for _ in range(6))
    warning = "\n".join(f"- {rng.choice(pool)}" for _ in range(4))
    rows = "\n".join(
        f"| {kind} ({2010 + rng.randrange(14)}) | {people} | {finding} |"
        for kind, people, finding in rng.sample(STUDIES, 4)
    )
    parts = [
        f"## {headings[0]}",
        paragraph(rng, 5),
        paragraph(rng, 5),
        f"## {headings[1]}",
        paragraph(rng, 5),
        numbered,
        f"### {headings[2]}",
        paragraph(rng, 5),
        f"## {headings[3]}",
        paragraph(rng, 4),
        bullets,
        "## What the research says",
        paragraph(rng, 5),
        "| Study | Participants | Finding |\n| --- | --- | --- |\n" + rows,
        paragraph(rng, 3),
        f"## {headings[4]}",
        paragraph(rng, 5),
        paragraph(rng, 4),
        "## When to see a doctor",
        paragraph(rng, 3),
        warning,
        f"## {headings[5]}",
        paragraph(rng, 4),
    ]
    return "\n\n".join(parts) + "\n"


def _question(rng: random.Random, template: str, subject: str) -> str:
    text = template.format(
        subject=subject,
        activity=rng.choice(ACTIVITIES),
        group=rng.choice(GROUPS),
        factor=rng.choice(FACTORS),
    )
    return text[0].upper() + text[1:]


def _titles(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct (question, subject) pairs."""
    seen, titles = set(), []
    misses = 0
    while len(titles) < count:
        subject = rng.choice(SUBJECTS)
        title = _question(rng, rng.choice(QUESTIONS), subject)
        if misses > 50:  # the plain combinations are running out
            title = f"{title[:-1]} in {rng.choice(GROUPS)}?"
        if title in seen or len(slugify(title)) > 200:
            misses += 1
            if misses > 10_000:
                raise ValueError(f"Cannot make {count} distinct questions.")
            continue
        misses = 0
        seen.add(title)
        titles.append((title, subject))
    return titles


def _tags(rng: random.Random, subject: str) -> list[int]:
    own = SUBJECTS.index(subject) % len(TAGS)
    others = [n for n in range(len(TAGS)) if n != own]
    return [own, *rng.sample(others, rng.choice((1, 2)))]


def topic_of(topics: list, subject: str):
    """Articles about one subject share a topic, as on a real site."""
    return topics[SUBJECTS.index(subject) % len(topics)]


def _reference(rng: random.Random, number: int) -> dict:
    first, second = rng.sample(SURNAMES, 2)
    year = 2008 + rng.randrange(17)
    title = rng.choice(SENTENCES).rstrip(".")
    return {
        "citation": f"{first} A, {second} B. {title}. {rng.choice(JOURNALS)}. "
        f"{year};{rng.randrange(1, 60)}({rng.randrange(1, 12)}):"
        f"{(page := rng.randrange(1, 900))}-{page + rng.randrange(5, 20)}.",
        "url": f"https://example.org/research/{year}/{number}",
    }


class Content:
    """The words of `count` articles, deterministic for a seed."""

    def __init__(self, count: int, seed: int):
        rng = random.Random(seed)
        self.bodies = [
            _shared_body(random.Random(seed * 1000 + k), k)
            for k in range(len(SUBJECTS))
        ]
        self.faq_answers = []
        for k in range(FAQ_ANSWERS):
            answer = _paragraph(rng, 3)
            if k % 4 == 0:
                answer += "\n\n" + "\n".join(
                    f"- {rng.choice(SENTENCES)}" for _ in range(3)
                )
            self.faq_answers.append(answer)
        self.takeaways = [s for s in SENTENCES if len(s) < 160]
        self.references = [_reference(rng, n) for n in range(300)]
        self.titles = _titles(rng, count)
        self.articles = []
        slugs = set()
        for index, (title, subject) in enumerate(self.titles):
            slug = slugify(title)[:200].strip("-")
            while slug in slugs:
                slug = f"{slug[:190]}-{index}"
            slugs.add(slug)
            intro = (
                f"{title} This is a common question, and the answer depends on "
                f"your age, your general health and how {subject} affects you. "
                f"{_paragraph(rng, 2)}"
            )
            faqs = [
                {
                    "question": _question(rng, rng.choice(QUESTIONS), subject),
                    "answer": rng.choice(self.faq_answers),
                }
                for _ in range(5)
            ]
            self.articles.append(
                {
                    "title": title,
                    "slug": slug,
                    "subject": subject,
                    "short_answer": (
                        f"For most people, {subject} can be managed well with simple "
                        f"steps, but {rng.choice(FACTORS)} can change the picture. "
                        "See a doctor if symptoms are severe or keep coming back."
                    ),
                    "intro": intro,
                    # Articles about one subject share a body (and so words).
                    "body_index": SUBJECTS.index(subject),
                    "faqs": faqs,
                    "key_takeaways": rng.sample(self.takeaways, 5),
                    "references": rng.sample(self.references, 3),
                    # The first tag follows the subject, as an editor's would.
                    "tags": _tags(rng, subject),
                }
            )

    def body(self, item: dict) -> str:
        return f"{item['intro']}\n\n{self.bodies[item['body_index']]}"


class FastRenderer:
    """render_markdown, once per distinct text: a body is its opening paragraph
    followed by a shared body, and its HTML is the HTML of the two parts."""

    def __init__(self, content: Content):
        self.content = content
        self.shared = {}
        self.split = {}
        self.memo = {}

    def register(self, item: dict) -> str:
        body = self.content.body(item)
        self.split[body] = (item["intro"], item["body_index"])
        return body

    def __call__(self, text: str, **options) -> str:
        if not options.get("images", True):
            del options["images"]  # no library images: the plain rendering
        if options.get("images"):
            return render_markdown(text, **options)
        if text in self.split and not options:
            intro, index = self.split[text]
            if index not in self.shared:
                self.shared[index] = render_markdown(self.content.bodies[index])
            return f"{render_markdown(intro)}\n{self.shared[index]}"
        key = (text, *sorted(options.items()))
        if key not in self.memo:
            self.memo[key] = render_markdown(text, **options)
        return self.memo[key]

    def check(self, items: list[dict]) -> None:
        """The shortcut must give exactly what render_markdown gives."""
        for item in items:
            body = self.register(item)
            if self(body) != render_markdown(body):
                raise AssertionError(
                    "bench/generate.py: rendering a body in two parts differs from "
                    "render_markdown(body); the fast path must be fixed."
                )


@contextmanager
def _patched(module, name, replacement):
    original = getattr(module, name)
    setattr(module, name, replacement)
    try:
        yield original
    finally:
        setattr(module, name, original)


# Phases ----------------------------------------------------------------------


class Timer:
    def __init__(self, say=print):
        self.phases: list[tuple[str, float]] = []
        self.say = say

    @contextmanager
    def phase(self, name: str):
        started = time.perf_counter()
        self.say(f"  {name} ...")
        yield
        seconds = time.perf_counter() - started
        self.phases.append((name, seconds))
        self.say(f"  {name}: {seconds:.1f} s")

    @property
    def total(self) -> float:
        return sum(seconds for _, seconds in self.phases)


def _people():
    User = get_user_model()
    editors = Group.objects.get(name=roles.EDITORS)
    reviewers_group = Group.objects.get(name=roles.MEDICAL_REVIEWERS)
    editor = User.objects.create(username="bench-editor", is_staff=True)
    editor.set_unusable_password()
    editor.save()
    editor.groups.add(editors)
    authors = [
        Person.objects.create(name=name, slug=slugify(name), credentials=cred)
        for name, cred in AUTHORS
    ]
    reviewers = []
    for name, cred in REVIEWERS:
        user = User.objects.create(username=f"bench-{slugify(name)}", is_staff=True)
        user.set_unusable_password()
        user.save()
        user.groups.add(reviewers_group)
        reviewers.append(
            Person.objects.create(
                name=name, slug=slugify(name), credentials=cred, user=user
            )
        )
    return editor, authors, reviewers


def _topics(count: int) -> list[Topic]:
    qualifiers = ["", " in children", " in older adults", " and pregnancy", " at work"]
    names = [
        f"{tag[0].upper()}{tag[1:]}{qualifier}"
        for qualifier in qualifiers
        for tag in TAGS
    ]
    while len(names) < count:
        names.append(f"Topic {len(names) + 1}")
    return Topic.objects.bulk_create(
        Topic(
            name=name,
            slug=slugify(name),
            description=f"Questions and answers about {name.lower()}.",
        )
        for name in names[:count]
    )


def _candidate(article) -> related.Candidate:
    version = article.live_version
    return related.Candidate(
        pk=article.pk,
        topic_id=article.topic_id,
        tag_ids=frozenset(tag.pk for tag in article.tags.all()),
        terms=version.relevance_terms,
        title_words=frozenset(related.words(version.title)),
        published_at=version.published_at,
    )


def _related_rows(pool: list, faqs: dict, picks: dict) -> list:
    """The RelatedLink rows related.compute_links stores for every article of
    `pool` (most recent first), computed in memory: the same candidates in the
    same order (related._candidates), chosen by related.choose_links."""
    limit = related.CANDIDATE_LIMIT
    topics: dict[int, list[int]] = {}
    tags: dict[int, list[int]] = {}
    for n, c in enumerate(pool):  # positions in the pool, most recent first
        topics.setdefault(c.topic_id, []).append(n)
        for tag in c.tag_ids:
            tags.setdefault(tag, []).append(n)
    public = {c.pk for c in pool}
    rows = []
    for me in pool:
        sharing_a_tag = heapq.merge(*(tags[tag] for tag in me.tag_ids))
        found = {}
        # The same topic, then a shared tag, then any: newest first, each
        # group at most `limit` articles other than `me`.
        for group in [topics[me.topic_id], sharing_a_tag, range(len(pool))]:
            taken, last = 0, None
            for n in group:
                if n == last or pool[n].pk == me.pk:
                    continue
                last = n
                found.setdefault(pool[n].pk, pool[n])
                taken += 1
                if taken == limit:
                    break
        picked = [t for t in picks.get(me.pk, []) if t in public]
        for link in related.choose_links(me, list(found.values()), picked, faqs[me.pk]):
            rows.append(
                RelatedLink(
                    article_id=me.pk,
                    target_id=link.target_id,
                    kind=link.kind,
                    position=link.position,
                    faq_number=link.faq_number,
                )
            )
    return rows


def _related_links(say) -> None:
    """Like related.compute_all_links(): every public article's links, from public
    articles only; a sample is then recomputed by the real compute_links."""
    articles = list(
        Article.objects.public()
        .select_related("live_version")
        .defer("body", "body_html", "live_version__body", "live_version__body_html",
               "live_version__search_vector")
        .prefetch_related("tags")
    )  # fmt: skip
    articles.sort(key=lambda a: (a.live_version.content_updated_at, a.pk), reverse=True)
    pool = [_candidate(article) for article in articles]
    faqs = {
        a.pk: [frozenset(related.words(f["question"])) for f in a.live_version.faqs]
        for a in articles
    }
    picks = {}
    for article_id, target_id in RelatedPick.objects.order_by(
        "article_id", "position"
    ).values_list("article_id", "target_id"):
        picks.setdefault(article_id, []).append(target_id)
    with transaction.atomic():
        RelatedLink.objects.filter(article__in=[a.pk for a in articles]).delete()
        RelatedLink.objects.bulk_create(
            _related_rows(pool, faqs, picks), batch_size=BATCH
        )
    sample = articles[:: max(1, len(articles) // 5)][:5]
    started = time.perf_counter()
    for article in sample:
        fast = _links(article)
        related.compute_links(Article.objects.get(pk=article.pk))
        if _links(article) != fast:
            say(
                "    !!! the related links computed in memory differ from "
                f"related.compute_links() for {article.slug!r}: bring "
                "bench/generate.py's _related_rows() in line with "
                "articles/publishing/related.py. Falling back to related.compute_all_links() "
                "(slow: it loads 600 versions per article)."
            )
            related.compute_all_links()
            return
    each = (time.perf_counter() - started) / len(sample)
    say(
        f"    same links as related.compute_links() for {len(sample)} articles "
        f"(which takes {each * 1000:.0f} ms per article here)"
    )


def _links(article):
    return list(
        RelatedLink.objects.filter(article=article)
        .order_by("kind", "position")
        .values_list("kind", "target_id", "position", "faq_number")
    )


def generate(count: int, *, seed: int = 1, workflow_count: int = 5, say=print) -> dict:
    """Migrate the (empty) database and fill it with `count` published articles;
    `workflow_count` of them go through the real workflow, one by one."""
    timer = Timer(say)
    workflow_count = max(0, min(workflow_count, count - 1))
    bulk_count = count - workflow_count

    with timer.phase("migrate"):
        call_command("migrate", verbosity=0, interactive=False)

    with timer.phase("text"):
        content = Content(count, seed)
        renderer = FastRenderer(content)
        renderer.check(content.articles[:3])
        word_counts = [len(content.body(a).split()) for a in content.articles[:200]]

    with timer.phase(f"articles, FAQs, takeaways, references ({bulk_count:,})"):
        with transaction.atomic():
            editor, authors, reviewers = _people()
            topics = _topics(
                max(1, min(len(SUBJECTS), round(count / ARTICLES_PER_TOPIC)))
            )
            tags = Tag.objects.bulk_create(
                Tag(name=name, slug=slugify(name)) for name in TAGS
            )
            articles = []
            for index, item in enumerate(content.articles[:bulk_count]):
                body = renderer.register(item)
                reviewer = reviewers[index % len(reviewers)]
                articles.append(
                    Article(
                        title=item["title"],
                        slug=item["slug"],
                        short_answer=item["short_answer"],
                        body=body,
                        body_html=renderer(body),
                        topic=topic_of(topics, item["subject"]),
                        author=authors[index % len(authors)],
                        medical_reviewer=reviewer,
                    )
                )
            Article.objects.bulk_create(articles, batch_size=BATCH)
            _children(content, articles, tags, renderer)
            _picks(articles, len(topics))

    with timer.phase(f"published versions ({bulk_count:,})"):
        with (
            _patched(version_models, "render_markdown", renderer),
            transaction.atomic(),
        ):
            _publish_in_bulk(content, articles, editor, reviewers, count)

    with timer.phase("search index"):
        indexed = search_index.index_missing_versions()
    say(f"    {indexed:,} versions indexed")

    with timer.phase(f"related links ({bulk_count:,})"):
        _related_links(say)

    with timer.phase(f"pre-rendered article pages ({bulk_count:,})"):
        pages.render_missing()

    publish_seconds = []
    if workflow_count:
        with timer.phase(f"workflow publish ({workflow_count})"):
            publish_seconds = workflow_publish(
                content, bulk_count, editor, reviewers, authors, topics, tags
            )
    if connection.vendor == "postgresql":
        # Planner statistics and the dead rows of the bulk updates cleared now,
        # as autovacuum would do soon after such a load, so that it does not
        # run during the measurements instead.
        with timer.phase("vacuum analyze"):
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    say(f"  generation: {timer.total:.1f} s in all")
    kinds = dict(
        RelatedLink.objects.values_list("kind").annotate(n=Count("pk")).order_by()
    )
    links = ", ".join(
        f"{kinds.get(kind, 0) / count:.1f} {label}"
        for kind, label in [
            ("picked", "picked"),
            ("computed", "computed related"),
            ("faq", "FAQ"),
        ]
    )
    return {
        "links": f"{links} links per article",
        "phases": timer.phases,
        "total": timer.total,
        "words": sum(word_counts) / len(word_counts),
        "publish_seconds": publish_seconds,
        "topics": len(topics),
    }


def _children(content, articles, tags, renderer) -> None:
    faqs, takeaways, references, tag_rows = [], [], [], []
    Through = Article.tags.through
    by_title = {}
    for article in articles:
        by_title.setdefault(article.topic_id, []).append(article.title)
    for index, (article, item) in enumerate(
        zip(articles, content.articles, strict=False)
    ):
        item_faqs = list(item["faqs"])
        if index % 3 == 0:  # an FAQ another article of the topic answers in depth
            same_topic = by_title[article.topic_id]
            other = same_topic[(same_topic.index(article.title) + 1) % len(same_topic)]
            if other != article.title:
                item_faqs[4] = {**item_faqs[4], "question": other}
                item["faqs"] = item_faqs
        for position, faq in enumerate(item_faqs, start=1):
            faqs.append(
                FAQ(
                    article=article,
                    position=position,
                    question=faq["question"],
                    answer=faq["answer"],
                    answer_html=renderer(faq["answer"]),
                )
            )
        for position, text in enumerate(item["key_takeaways"], start=1):
            takeaways.append(KeyTakeaway(article=article, position=position, text=text))
        for position, ref in enumerate(item["references"], start=1):
            references.append(Reference(article=article, position=position, **ref))
        for tag_index in item["tags"]:
            tag_rows.append(Through(article_id=article.pk, tag_id=tags[tag_index].pk))
    FAQ.objects.bulk_create(faqs, batch_size=BATCH)
    KeyTakeaway.objects.bulk_create(takeaways, batch_size=BATCH)
    Reference.objects.bulk_create(references, batch_size=BATCH)
    Through.objects.bulk_create(tag_rows, batch_size=BATCH)


def _picks(articles, topic_count) -> None:
    """Every tenth article has a related question picked by an editor."""
    RelatedPick.objects.bulk_create(
        (
            RelatedPick(
                article=article, target=articles[index - topic_count], position=1
            )
            for index, article in enumerate(articles)
            if index % 10 == 5 and index >= topic_count
        ),
        batch_size=BATCH,
    )


def _publish_in_bulk(content, articles, editor, reviewers, count) -> None:
    """What submit, approve and publish would store, for every article at once."""
    now = timezone.now()
    span = datetime.timedelta(days=3 * 365)
    reviewer_users = {person.pk: person.user for person in reviewers}
    phrases = related.synonym_phrases()
    versions, revisions, events = [], [], []
    for index, article in enumerate(articles):
        published_at = now - span * (count - index) / count
        approved_at = published_at - datetime.timedelta(hours=20)
        submitted_at = approved_at - datetime.timedelta(days=2)
        approver = reviewer_users[article.medical_reviewer_id]
        version = ArticleVersion.from_article(article)
        last_reviewed = timezone.localdate(approved_at)
        version.number = 1
        version.kind = ArticleVersion.Kind.PUBLICATION
        version.revision_number = 1
        version.contributor_ids = [editor.pk]
        version.approved_by = approver
        version.approved_at = approved_at
        version.published_by = editor
        version.published_at = published_at
        version.first_published_at = published_at
        version.content_updated_at = published_at
        version.last_reviewed_on = last_reviewed
        version.next_review_due = add_months(
            last_reviewed, article.review_interval_months
        )
        version.relevance_terms = related.profile_of(version, phrases)
        versions.append(version)
        # What the reviewer approved: the content and its (empty) update note,
        # the shape of Article.approval_content().
        approval = {**version.content(), "change_summary": "", "is_correction": False}
        revisions.append(
            DraftRevision(
                article=article,
                number=1,
                content=approval,
                content_hash=content_fingerprint(approval),
                saved_by=editor,
                saved_at=submitted_at,
                responsible_ids=[editor.pk],
            )
        )
    fingerprints_ok = all(
        content_fingerprint(r.content) == r.content_hash for r in revisions[:50]
    )
    if not fingerprints_ok:
        raise AssertionError("bench/generate.py: snapshot fingerprints do not match.")
    ArticleVersion.objects.bulk_create(versions, batch_size=BATCH)
    DraftRevision.objects.bulk_create(revisions, batch_size=BATCH)
    Status, Action = Article.Status, ReviewEvent.Action
    for article, version in zip(articles, versions, strict=True):
        article.status = Status.PUBLISHED
        article.live_version = version
        article.approved_by = version.approved_by
        article.approved_at = version.approved_at
        article.approved_content_hash = content_fingerprint(
            {**version.content(), "change_summary": "", "is_correction": False}
        )
        article.last_approved_revision = 1
        article.first_published_at = version.published_at
        article.lock_version = 1
        steps = [
            (Action.SUBMIT, Status.DRAFT, Status.IN_REVIEW, editor, None,
             version.approved_at - datetime.timedelta(days=2)),
            (Action.APPROVE, Status.IN_REVIEW, Status.APPROVED, version.approved_by,
             None, version.approved_at),
            (Action.PUBLISH, Status.APPROVED, Status.PUBLISHED, editor, version,
             version.published_at),
        ]  # fmt: skip
        events += [
            ReviewEvent(
                article=article,
                version=event_version,
                action=action,
                from_status=from_status,
                to_status=to_status,
                user=user,
                at=at,
                content_hash=article.approved_content_hash,
            )
            for action, from_status, to_status, user, event_version, at in steps
        ]
    ReviewEvent.objects.bulk_create(events, batch_size=BATCH)
    Article.objects.bulk_update(
        articles,
        [
            "status",
            "live_version",
            "approved_by",
            "approved_at",
            "approved_content_hash",
            "last_approved_revision",
            "first_published_at",
            "lock_version",
        ],
        batch_size=BATCH,
    )


def workflow_publish(
    content, start, editor, reviewers, authors, topics, tags
) -> list[float]:
    """Write, submit, approve and publish the articles from `start` on one by
    one through articles.review.workflow, as editors do; returns the seconds each
    publish() took (its related-links refresh included)."""
    seconds = []
    for index, item in enumerate(content.articles[start:], start=start):
        reviewer = reviewers[index % len(reviewers)]
        article = Article.objects.create(
            title=item["title"],
            slug=item["slug"],
            short_answer=item["short_answer"],
            body=content.body(item),
            topic=topic_of(topics, item["subject"]),
            author=authors[index % len(authors)],
        )
        for position, faq in enumerate(item["faqs"], start=1):
            FAQ.objects.create(article=article, position=position, **faq)
        for position, text in enumerate(item["key_takeaways"], start=1):
            KeyTakeaway.objects.create(article=article, position=position, text=text)
        for position, ref in enumerate(item["references"], start=1):
            Reference.objects.create(article=article, position=position, **ref)
        article.tags.set([tags[i] for i in item["tags"]])
        article = workflow.record_edit(article, user=editor)
        article = workflow.submit_for_review(article, user=editor)
        article = workflow.approve_medical_review(article, user=reviewer.user)
        started = time.perf_counter()
        workflow.publish(article, user=editor)
        seconds.append(time.perf_counter() - started)
    return seconds
