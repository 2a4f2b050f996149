"""Weapon systems, platforms and engines, and every name each one goes by.

A system is what researchers follow across the timeline (the S-400's sale, its
deliveries, the sanctions it triggered); the records that concern it link to it
(``Transfer.systems``, ``Project.systems``, ``Event.systems``, ``Figure.systems``), so
"same system" is a join, not a text match. It sits below ``periods`` because events
and figures, defined there, point to it.
"""

from __future__ import annotations

from django.db import models

from ground.url_reversing import reverse

from .querysets import SystemQuerySet


class System(models.Model):
    """A weapon system, platform or engine the records concern."""

    class Kind(models.TextChoices):
        WEAPON_SYSTEM = "weapon-system", "weapon system"
        PLATFORM = "platform", "platform"
        ENGINE = "engine", "engine"

    class Category(models.TextChoices):
        AIRCRAFT = "aircraft", "combat aircraft"
        HELICOPTER = "helicopter", "helicopter"
        AIR_DEFENCE = "air-defence", "air defence system"
        SUBMARINE = "submarine", "submarine"
        AERO_ENGINE = "aero-engine", "aero-engine"
        LAND_VEHICLE = "land-vehicle", "land vehicle"
        OTHER = "other", "other"

    slug = models.SlugField(max_length=80, unique=True, help_text="Stable identifier used in URLs (s-400).")
    name = models.CharField(max_length=120, help_text="The display name: the designation the report uses.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    origin = models.CharField(max_length=80, help_text="Where the system was designed, e.g. Russia.")
    description = models.CharField(max_length=300, help_text="One line, in our own words.")

    objects = SystemQuerySet.as_manager()

    class Meta:
        ordering = ["name", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("timeline:system", kwargs={"slug": self.slug})


class SystemName(models.Model):
    """One name of a system, and where it comes from.

    A name the report prints is marked ``from_report`` (a test holds it against the
    report's text); any other name was added by the curators and says where it comes
    from in ``origin`` (a database constraint refuses one that does not).
    """

    class Kind(models.TextChoices):
        DESIGNATION = "designation", "designation"
        VARIANT = "variant", "variant"
        NATO = "nato", "NATO reporting name"
        ORIGINAL_SCRIPT = "original-script", "original-script name"
        OTHER = "other", "other name"

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=10, blank=True, help_text="BCP 47 tag of an original-script name (ru, zh).")
    from_report = models.BooleanField(default=False, help_text="The report prints this name.")
    origin = models.CharField(
        max_length=300, blank=True, help_text="Where a name the report does not print comes from."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["system", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="systemname_unique_per_system"),
            models.CheckConstraint(
                condition=models.Q(from_report=True) | ~models.Q(origin=""),
                name="systemname_origin_unless_from_report",
                violation_error_message="A name the report does not print must say where it comes from.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.system.get_absolute_url()
