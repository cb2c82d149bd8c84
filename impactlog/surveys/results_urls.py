from django.urls import path

from impactlog.surveys import results_views as views

app_name = "results"
ONE = "n/<id:pk>/surveys/<id:survey_pk>/results/"
urlpatterns = [
    path(ONE, views.results_page, name="page"),
    path(f"{ONE}answers.<str:file_format>", views.answers_export, name="export"),
    path(f"{ONE}codebook.csv", views.codebook_export, name="codebook"),
]
