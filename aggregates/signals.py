"""Signals of the statistics rebuild."""

from django.dispatch import Signal

#: Sent inside the rebuild's swap transaction, after the new snapshot became current and
#: before the commit. Readers must see the old set or the new one, never a mix; the
#: tests that check this hold the transaction open here.
snapshot_swapped = Signal()
