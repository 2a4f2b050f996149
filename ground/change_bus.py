"""One hook for "the knowledge base changed", reached by every write path.

Admin saves, API writes, the loader, importers and shell edits all end in model
``save()``/``delete()`` (or M2M changes), so a signal receiver is the one place that
sees them all. Inside the writing transaction it bumps ``DataVersion`` (so the version
a reader sees always matches the data it reads: caches and ETags key on it), and it
schedules the registered listeners (the statistics rebuild) once per transaction,
after commit, so a rolled-back write triggers nothing and a bulk load triggers once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import stored_rows
from .models import DataVersion

_listeners: list[Callable[[], None]] = []
_last_listeners: list[Callable[[], None]] = []
_notifying = threading.local()


def on_content_change(listener: Callable[[], None], *, last: bool = False) -> Callable[[], None]:
    """Register ``listener`` to run after each committed transaction that changed content,
    in the order registered; with ``last``, after every listener registered without it
    (work that only refines what the others keep, and must not delay them: the search's
    common words, after the statistics request)."""
    group = _last_listeners if last else _listeners
    if listener not in _listeners and listener not in _last_listeners:
        group.append(listener)
    return listener


def current_changes() -> frozenset[tuple[str, int]] | None:
    """While listeners run: the (model label, pk) pairs the transaction changed.

    ``None`` means "unknown" (for example after a restore): treat everything as changed.
    Listeners that can work incrementally (the search index) use it; others ignore it.
    """
    return getattr(_notifying, "changes", None)


def notify_listeners(changed: frozenset[tuple[str, int]] | None = None) -> None:
    _notifying.changes = changed
    try:
        for listener in [*_listeners, *_last_listeners]:
            listener()
    finally:
        _notifying.changes = None


def _schedule_once(connection, change: tuple[str, int] | None) -> None:
    """Schedule the listeners after commit, once per transaction, collecting its changes.

    The pending callback is remembered on the connection and also looked up in
    Django's ``run_on_commit`` list (entries are (savepoint ids, func, robust)): a
    rolled-back transaction discards its callbacks, so a remembered callback that is no
    longer in the list is not pending any more and a new one is scheduled.

    ``run_on_commit`` is read, never written: Django offers no public way to learn that
    a rollback discarded a callback, and without it a rolled-back transaction's changes
    would leak into the next one's notification (tried: a batch per connection).
    """
    pending = getattr(connection, "_mtc_pending_notify", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        if change:
            pending.changed.add(change)
        return

    def notify() -> None:
        connection._mtc_pending_notify = None
        notify_listeners(frozenset(notify.changed))

    notify.changed = {change} if change else set()
    connection._mtc_pending_notify = notify
    transaction.on_commit(notify)


def is_content_model(model: type[models.Model]) -> bool:
    meta = model._meta
    return (
        meta.app_label in settings.CONTENT_APPS
        and not meta.abstract
        and not model.__name__.startswith("Historical")
        and not getattr(model, "exclude_from_content_changes", False)
    )


def record_change(sender=None, instance=None, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures loading raw rows
        return
    DataVersion.bump()
    stored_rows.written(instance, kwargs)  # after the bump: emptied rows carry this version
    connection = transaction.get_connection()
    change = (instance._meta.label_lower, instance.pk) if instance is not None else None
    if not connection.in_atomic_block:
        notify_listeners(frozenset([change]) if change else None)
    else:
        _schedule_once(connection, change)


def _note_link(sender=None, instance=None, **kwargs) -> None:
    if not kwargs.get("raw"):
        stored_rows.note_link(instance)


def _m2m_changed(action: str, **kwargs) -> None:
    if action.startswith("post_"):
        record_change(**kwargs)


def connect() -> None:
    for model in apps.get_models():
        if is_content_model(model):
            post_save.connect(record_change, sender=model, dispatch_uid=f"content-save-{model._meta.label}")
            post_delete.connect(record_change, sender=model, dispatch_uid=f"content-delete-{model._meta.label}")
            if stored_rows.links_records(model):
                pre_save.connect(_note_link, sender=model, dispatch_uid=f"content-link-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"content-m2m-{through._meta.label}")
