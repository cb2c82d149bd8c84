from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "impactlog.progress"
    label = "progress"
    verbose_name = _("Progress and self-assessment")

    def ready(self) -> None:
        # Registers erasure, activity and the subject access export's part.
        from impactlog.progress import privacy  # noqa: F401
