from django.urls import path

from impactlog.participants import me_views

app_name = "me"
urlpatterns = [
    path("", me_views.home, name="home"),
    path("my-data.json", me_views.export_json, name="export_json"),
    path("sign-out/", me_views.sign_out, name="sign_out"),
    path("<str:token>/", me_views.open_link, name="open"),
]
