"""The plumbing's one table: the data version every cache and ETag keys on."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .url_reversing import reverse


class DataVersion(models.Model):
    """A single row whose ``version`` goes up with every committed content change.

    Bumped inside the writing transaction (see ``ground.change_bus``), so a reader that
    sees version N also sees exactly the data of version N: response caches and ETags
    key on it and can never serve data older than the last committed write.
    """

    exclude_from_content_changes = True

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "periods_dataversion"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="dataversion_singleton")]

    def __str__(self) -> str:
        return f"data version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("periods:home")

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(id=1).update(version=models.F("version") + 1, changed_at=timezone.now())
        if not updated:
            cls.objects.get_or_create(id=1, defaults={"version": 1})

    @classmethod
    def current(cls) -> DataVersion:
        return cls.objects.filter(id=1).first() or cls(id=1, version=0, changed_at=None)
