"""Content of the health Q&A site: topics, bylines, articles and their parts.

The models live in the modules of this package; this file only re-exports
them, so `from articles.models import X` keeps working. The imports run in the
order the models were declared when they were one module (Django registers a
model when its class is created), so the app's model order is unchanged.
"""

from articles.models.checks import (
    MAX_BIO_LENGTH,
    MAX_FAQ_ANSWER_LENGTH,
    MAX_PROFILE_LINKS_LENGTH,
    MAX_TOPIC_DESCRIPTION_LENGTH,
    check_text_fields,
)
from articles.models.people import (
    Person,
    PublicDetailChange,
    Tag,
    Topic,
    TopicQuerySet,
)

# isort: split
from articles.models.articles import (
    Article,
    ArticleQuerySet,
    add_months,
    content_fingerprint,
    public_article_q,
)

# isort: split
from articles.models.versions import (
    LONG_VERSION_FIELDS,
    ArticleVersion,
    ArticleVersionQuerySet,
    DraftRevision,
    ReviewEvent,
)

# isort: split
from articles.models.parts import (
    FAQ,
    ArticlePart,
    KeyTakeaway,
    Reference,
)

# isort: split
from articles.models.public import (
    ArticlePage,
    PublicState,
    RelatedLink,
    RelatedPick,
    SitePage,
    SynonymGroup,
)

# isort: split
from articles.models.comments import PartComment
from articles.models.evidence import ProblemReport, SourceCheck
from articles.models.images import ImageRendition, LibraryImage
from articles.models.notifications import Notification, NotificationSettings
from articles.models.partners import PartnerKey, PartnerKeyUsage
from articles.models.schedules import PeriodicRun, ScheduledChange

__all__ = [
    "FAQ",
    "LONG_VERSION_FIELDS",
    "MAX_BIO_LENGTH",
    "MAX_FAQ_ANSWER_LENGTH",
    "MAX_PROFILE_LINKS_LENGTH",
    "MAX_TOPIC_DESCRIPTION_LENGTH",
    "Article",
    "ArticlePage",
    "PartComment",
    "ProblemReport",
    "SourceCheck",
    "Notification",
    "NotificationSettings",
    "ImageRendition",
    "LibraryImage",
    "PartnerKey",
    "PartnerKeyUsage",
    "PeriodicRun",
    "ScheduledChange",
    "ArticlePart",
    "ArticleQuerySet",
    "ArticleVersion",
    "ArticleVersionQuerySet",
    "DraftRevision",
    "KeyTakeaway",
    "Person",
    "PublicDetailChange",
    "PublicState",
    "Reference",
    "RelatedLink",
    "RelatedPick",
    "ReviewEvent",
    "SitePage",
    "SynonymGroup",
    "Tag",
    "Topic",
    "TopicQuerySet",
    "add_months",
    "check_text_fields",
    "content_fingerprint",
    "public_article_q",
]
