"""Roles: an "Editor" group that may add, change and delete content (nothing on users)
and a "Viewer" group that may only view it. The API's DjangoModelPermissions use the
same model permissions, so a role means the same thing in the admin and the API.

Permissions are normally created after migrate (post_migrate), so they are created
here first for the content apps. A content model added later needs its own migration
to grant these groups its permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ("periods", "transfers", "sources")
# Bookkeeping and derived tables, edited by no one (whichever order migrations ran in).
NOT_CONTENT = {
    ("periods", "dataversion"),
    ("periods", "statisticssnapshot"),
    ("periods", "statisticsstate"),
    ("periods", "searchentry"),
}


def content_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for label in CONTENT_APPS:
        config = apps.get_app_config(label)
        models_module = getattr(config, "models_module", None)  # unset in migration state: create_permissions skips
        config.models_module = models_module or True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = models_module
    types = [
        ct
        for ct in ContentType.objects.filter(app_label__in=CONTENT_APPS)
        if (ct.app_label, ct.model) not in NOT_CONTENT and not ct.model.startswith("historical")
    ]
    return Permission.objects.filter(content_type__in=types)


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = content_permissions(apps)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(permissions.filter(codename__regex=r"^(add|change|delete|view)_"))
    viewer, _ = Group.objects.get_or_create(name="Viewer")
    viewer.permissions.set(permissions.filter(codename__startswith="view_"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Viewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("periods", "0002_dataversion"),
        ("transfers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
