"""The import's two jobs: checking a large file ("import.check") and importing ("import.apply").

The check reads the kept file once (`reading.read_table`), keeps its parsed rows in its place
(`uploads.store_table`) and what it found in the job's outcome; the import reads those rows,
never the file. Both fail with the person's message (`JobFailed`) when the file or its rows
cannot be used.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.jobs.models import Job
from impactlog.jobs.registry import JobFailed, Progress, register
from impactlog.logbook.io.importers import applying, reading, uploads
from impactlog.network.services import bands_for
from impactlog.tenancy.roles import Perm

CHECK = "import.check"
APPLY = "import.apply"


def _gone() -> JobFailed:
    return JobFailed(_("The uploaded file is no longer here. Upload it again."))


@register(CHECK, perm=Perm.EDIT_RECORDS)
def run_check(job: Job, progress: Progress) -> None:
    """Read the kept file, keep its rows instead, and check them: outcome {"summary": ...}."""
    token = str(job.params["token"])
    content = uploads.load_upload(token)
    if content is None:
        raise _gone()
    try:
        table = reading.read_table(str(job.params["name"]), content, bands_for(job.node))
    except ValidationError as error:
        uploads.discard_upload(token)
        raise JobFailed(" ".join(error.messages)) from error
    del content
    uploads.store_table(table, token)  # the file itself is no longer kept
    progress.set_total(uploads.count_rows(table))
    found = applying.analyse(
        job.node,
        table,
        today=timezone.localdate(),
        confirm_large=bool(job.params.get("confirm_large")),
        on_row=progress.advance,
    )
    summary = found.plain()
    uploads.store_summary(token, summary)
    job.outcome = {"summary": summary}


@register(APPLY, perm=Perm.EDIT_RECORDS)
def run_apply(job: Job, progress: Progress) -> None:
    """Import the kept rows, all or nothing: outcome {"created", "already", "skipped"}."""
    token = str(job.params["token"])
    table = uploads.load_table(token)
    if table is None or job.created_by is None:
        raise _gone()
    # Outside the import's one transaction, so that the page can show it at once.
    progress.set_total(uploads.count_rows(table))
    try:
        done = applying.run_import(
            job.created_by,
            job.node,
            table,
            confirm_large=bool(job.params.get("confirm_large")),
            skip_bad=bool(job.params.get("skip_bad")),
            on_row=progress.advance,
        )
    except ValidationError as error:
        raise JobFailed(" ".join(error.messages)) from error
    uploads.discard_upload(token)
    job.outcome = {"created": done.new, "already": done.already, "skipped": done.bad}
