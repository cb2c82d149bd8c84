from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "impactlog.participants"
    label = "participants"
    verbose_name = _("Young people")

    def ready(self) -> None:
        from impactlog.participants import mylink  # noqa: F401 (anonymising stops the links)
