from django.urls import path

from impactlog.kiosk import api, views

app_name = "kiosk"
urlpatterns = [
    path("kiosk/api/aliases/", api.aliases, name="aliases"),
    path("kiosk/api/check-in/", api.check_in, name="check_in"),
    path("kiosk/", views.screen, name="screen"),
    path("kiosk/pair/", views.pair, name="pair"),
    path("n/<id:pk>/kiosks/", views.devices, name="devices"),
    path("n/<id:pk>/kiosks/code/", views.code, name="code"),
    path("n/<id:pk>/kiosks/<id:device_pk>/revoke/", views.revoke, name="revoke"),
]
