"""Email to the people of the review workflow, sent by the task worker.

`outbox.queue()` writes the messages in the transaction of the event (who gets
them is decided by the review layer, articles/review/notices.py); the worker
sends each once, tries again after a failure, and leaves failures for
administrators to see ("Notifications" in the admin, and the dashboard).
"""
