from django.urls import include, path

from impactlog.core import converters  # noqa: F401  (registers the <id:…> converter)

urlpatterns = [
    path("", include("impactlog.core.urls")),
    path("accounts/", include("impactlog.accounts.urls")),
    path("", include("impactlog.structure.urls")),
    path("", include("impactlog.logbook.urls")),
    path("", include("impactlog.jobs.urls")),
    path("", include("impactlog.glossary.urls")),
    path("", include("impactlog.network.urls")),
    path("", include("impactlog.participants.urls")),
    path("me/", include("impactlog.participants.me_urls")),
    path("", include("impactlog.kiosk.urls")),
    path("", include("impactlog.progress.urls")),
    path("", include("impactlog.kiosk.cards.urls")),
    path("", include("impactlog.surveys.xlsform_urls")),
    path("", include("impactlog.surveys.results_urls")),
    path("", include("impactlog.surveys.builder_urls")),
]

handler400 = "impactlog.core.errors.bad_request"
handler403 = "impactlog.core.errors.permission_denied"
handler404 = "impactlog.core.errors.page_not_found"
handler500 = "impactlog.core.errors.server_error"
