"""Admin for weapon systems and their names."""

from django.contrib import admin

from .models import System, SystemName


class SystemNameInline(admin.TabularInline):
    model = SystemName
    extra = 1
    fields = ["name", "kind", "language", "from_report", "origin", "position"]


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category", "origin", "slug"]
    list_filter = ["kind", "category"]
    search_fields = ["name", "slug", "names__name"]
    ordering = ["name"]
    fields = ["name", "slug", "kind", "category", "origin", "description"]
    inlines = [SystemNameInline]
