"""How accreditation hears of the editorial workflow (connected in AccreditationConfig)."""

from news import queue

from .distribution import concerns_journalists


def on_release_stepped(sender, step, **kwargs):
    """Queue the journalists' emails a committed workflow step calls for; with the task
    queue down the step still stands, its emails are left out and logged (news.queue)."""
    if concerns_journalists(step):
        queue.enqueue("accreditation.tasks.reconcile_embargo", (step.article_id,))
