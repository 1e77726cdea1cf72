"""Run background jobs (articles/jobs/): the queue's own worker, in rounds, and between rounds
the recovery of jobs whose worker stopped (`jobs_recover`).

    python manage.py jobs_worker                 # the backend ASTANA_TASKS chose
    python manage.py jobs_worker --backend rq    # a TASKS alias by name

On the database queue each round is django-tasks-db's worker in batch mode (every waiting
task, then back here); on RQ it is an RQ worker in burst mode, running each job in this
process. Start as many as wanted, on as many machines: a job runs once at a time whichever
worker receives it. Ctrl-C (or SIGTERM) lets the job in hand finish, then stops.
"""

import os
import socket
import time
from collections.abc import Callable
from itertools import count

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.tasks import task_backends

from articles.jobs.models import Job, JobState
from articles.jobs.services import jobs_recover


class Command(BaseCommand):
    help = "Run background jobs (imports, comparison refreshes, re-anchoring) from the queue."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--backend",
            default=settings.ASTANA_JOBS_BACKEND,
            help="The TASKS alias whose queue to work on (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between rounds when no job waits (default: %(default)s).",
        )
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Stop once no job of this backend is queued or running (for tests and cron).",
        )

    def handle(self, *, backend: str, interval: float, burst: bool, **options) -> None:
        queue = settings.ASTANA_JOBS_QUEUE
        name = f"{socket.gethostname()}.{os.getpid()}"
        work_round = self._round(backend, queue, name)
        self.stdout.write(f"Jobs worker {name} on {backend!r}, queue {queue!r}.")
        try:
            while True:
                close_old_connections()
                if recovered := jobs_recover(backend=backend):
                    self.stdout.write(f"{recovered} job(s) put back on the queue.")
                work_round()
                close_old_connections()
                if burst and not _waiting(backend):
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            return

    def _round(self, alias: str, queue: str, name: str) -> Callable[[], None]:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

        backend = task_backends[alias]
        if isinstance(backend, DatabaseBackend):
            worker = DatabaseWorker(
                queue_names=[queue],
                interval=0,
                batch=True,
                backend_name=alias,
                startup_delay=False,
                max_tasks=None,
                worker_id=name[:64],
                excluded_queue_names=[],
            )
            worker.configure_signals()  # a signal lets the task in hand finish, then exits

            def database_round() -> None:
                if not worker.running:
                    raise KeyboardInterrupt
                worker.run()

            return database_round
        if type(backend).__name__ == "RQBackend":
            import django_rq
            from django_tasks_rq.backend import Job as RQJob

            rounds = count(1)

            def rq_round() -> None:
                worker = django_rq.get_worker(
                    queue,
                    job_class=RQJob,
                    worker_class="rq.SimpleWorker",  # each job in this process
                    name=f"{name}.{next(rounds)}",
                )
                worker.work(burst=True, logging_level="WARNING")

            return rq_round
        raise CommandError(f"The {alias!r} task backend runs its jobs itself: no worker needed.")


def _waiting(backend: str) -> bool:
    return Job.objects.filter(
        backend=backend, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).exists()
