"""Work done by the task worker (`manage.py worker`), outside any request.

Jobs are django-tasks tasks (Django 6's `django.tasks` API) kept in our own
database by the django-tasks-db backend. The lower layers define the jobs
they queue (notifications.outbox.deliver, publishing.refresh.relink_neighbours);
this folder holds the periodic ones and the clock that starts them:

- jobs.py: scheduled go-live and expiry, the daily digest, the sweep;
- clock.py: which periodic job is due, started once however many workers run;
- digest.py: the daily email of overdue and due-soon reviews.
"""
