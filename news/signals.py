"""Signals of the editorial domain, for changes Django sends none for."""

from django.dispatch import Signal

# Sent with a model as sender after QuerySet.update() or bulk_create() changed rows of it,
# which send no post_save: whoever keeps what those rows show (the public site's page
# cache) drops it.
rows_changed = Signal()

# Sent once an engine's translation of a release is committed, with `original` and
# `translation` (its version in the other language): what other apps keep about a release
# (its photos and files, news knows nothing of) is translated and carried over by them.
machine_translated = Signal()

# Sent once a workflow step is committed, with `step` (its ArticleTransition), robustly (a
# failing receiver is logged, not raised): whoever tells the outside world about releases
# (subscribers, accredited journalists, partners' webhooks) acts on publication,
# scheduling, withdrawal and unpublishing from here.
release_stepped = Signal()

# Sent once a person's edit of an article is committed, robustly, with `article` and the
# names of the `changed_fields` (tags included as "tags"): a public release's edit is news
# to partners.
release_edited = Signal()
