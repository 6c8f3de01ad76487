"""Signals of the editorial domain, for changes Django sends none for."""

from django.dispatch import Signal

# Sent with a model as sender after QuerySet.update() or bulk_create() changed rows of it,
# which send no post_save: whoever keeps what those rows show (the public site's page
# cache) drops it.
rows_changed = Signal()
