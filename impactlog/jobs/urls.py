from django.urls import path

from impactlog.jobs import views

app_name = "jobs"

urlpatterns = [
    path("n/<id:pk>/jobs/<id:job_pk>/", views.status, name="status"),
    path("n/<id:pk>/jobs/<id:job_pk>/download/", views.download, name="download"),
]
