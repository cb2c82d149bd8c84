from django.urls import path

from impactlog.surveys import xlsform_views

app_name = "xlsform"
urlpatterns = [
    path("n/<id:pk>/surveys/import/", xlsform_views.import_survey, name="import"),
    path("n/<id:pk>/surveys/<id:survey_pk>/xlsform/", xlsform_views.download, name="download"),
]
