from django.urls import path

from impactlog.surveys import builder_views

app_name = "surveys"
urlpatterns = [
    path("n/<id:pk>/surveys/", builder_views.survey_list, name="list"),
]
