from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KioskConfig(AppConfig):
    name = "impactlog.kiosk"
    label = "kiosk"
    verbose_name = _("Check-in kiosk")

    def ready(self) -> None:
        from impactlog.kiosk import retention  # noqa: F401 (registers a check-in as activity)
        from impactlog.kiosk.cards.views import detail_part
        from impactlog.kiosk.queries import waiting_line
        from impactlog.logbook import session_notes
        from impactlog.participants.views import register_detail_part

        register_detail_part(detail_part)
        session_notes.register(waiting_line)
