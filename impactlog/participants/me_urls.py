from django.urls import path

from impactlog.participants import me_progress, me_views

app_name = "me"
urlpatterns = [
    path("", me_views.home, name="home"),
    path("my-data.json", me_views.export_json, name="export_json"),
    path("sign-out/", me_views.sign_out, name="sign_out"),
    path("progress/", me_progress.timeline, name="progress"),
    path("progress/rate/", me_progress.rate, name="rate"),
    path("progress/journal/", me_progress.journal, name="journal"),
    path("progress/recognise/", me_progress.recognise, name="recognise"),
    path("<str:token>/", me_views.open_link, name="open"),
]
