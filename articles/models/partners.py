"""Partners' API keys: created by administrators, shown once, stored hashed.

A key is 32 random bytes (secrets.token_urlsafe), so a plain SHA-256 of it
is enough to store: nobody can guess such a key from its hash, and unlike a
password hash it costs nothing per request. The first characters stay
readable (`prefix`) so an administrator can tell keys apart in the list.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

KEY_PREFIX = "ha_"  # marks a Health Answers key in a partner's config or logs
PREFIX_LENGTH = len(KEY_PREFIX) + 6


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class PartnerKeyQuerySet(models.QuerySet):
    def authenticate(self, key: str | None) -> "PartnerKey | None":
        """The active key `key` is, or None (unknown, revoked or malformed)."""
        if not key or len(key) > 100 or not key.startswith(KEY_PREFIX):
            return None
        return self.filter(key_hash=hash_key(key), revoked_at__isnull=True).first()


class PartnerKey(models.Model):
    partner = models.CharField(
        max_length=120, help_text="Who uses this key, e.g. the clinic or app."
    )
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(
        default=120, help_text="More requests than this in a minute get 429."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        null=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set to revoke the key: it stops working at once.",
    )
    last_used_at = models.DateTimeField(null=True, editable=False)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "pk"]
        verbose_name = "partner API key"

    def __str__(self) -> str:
        return f"{self.partner} ({self.prefix}…)"

    def new_secret(self) -> str:
        """Give this (unsaved) key a fresh secret, returned to be shown once:
        only its hash and first characters are kept."""
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix, self.key_hash = secret[:PREFIX_LENGTH], hash_key(secret)
        return secret

    @classmethod
    def issue(cls, *, partner: str, created_by, **fields) -> tuple["PartnerKey", str]:
        """A new key and its secret."""
        key = cls(partner=partner, created_by=created_by, **fields)
        secret = key.new_secret()
        key.save()
        return key, secret

    def count_request(self) -> None:
        """One more request today, and when it was (two small UPDATEs)."""
        now = timezone.now()
        today = timezone.localdate(now)
        updated = PartnerKeyUsage.objects.filter(key=self, day=today).update(
            requests=F("requests") + 1
        )
        if not updated:
            usage, created = PartnerKeyUsage.objects.get_or_create(
                key=self, day=today, defaults={"requests": 1}
            )
            if not created:
                PartnerKeyUsage.objects.filter(pk=usage.pk).update(
                    requests=F("requests") + 1
                )
        PartnerKey.objects.filter(pk=self.pk).update(last_used_at=now)


class PartnerKeyUsage(models.Model):
    """Requests made with one key on one day."""

    key = models.ForeignKey(PartnerKey, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["key", "day"], name="one_usage_row_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.requests} requests on {self.day}"
