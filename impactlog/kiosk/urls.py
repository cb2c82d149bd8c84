from django.urls import path

from impactlog.kiosk import api

app_name = "kiosk"
urlpatterns = [
    path("kiosk/api/aliases/", api.aliases, name="aliases"),
    path("kiosk/api/check-in/", api.check_in, name="check_in"),
]
