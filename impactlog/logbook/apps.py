from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "impactlog.logbook"
    label = "logbook"
    verbose_name = _("Logbook")

    def ready(self) -> None:
        from impactlog.logbook import checks, home
        from impactlog.logbook.io import exporters  # noqa: F401  (registers the export job)
        from impactlog.logbook.io.importers import jobs  # noqa: F401  (the import's jobs)
        from impactlog.structure import pages
        from impactlog.tenancy import holders

        holders.register_band_counter(checks.has_head_counts)
        holders.register_record_holder(checks.has_activities)
        pages.register_home_part(home.home_part)
