from django.urls import path

from impactlog.network import views

app_name = "network"
urlpatterns = [
    path("n/<id:pk>/logbook-settings/", views.settings_page, name="settings"),
    path("n/<id:pk>/logbook-settings/topics/", views.topic_add, name="topic_add"),
    path(
        "n/<id:pk>/logbook-settings/topics/<id:tag_pk>/archive/",
        views.topic_archive,
        name="topic_archive",
    ),
    path("n/<id:pk>/reflection/", views.reflection_questions, name="reflection"),
    path(
        "n/<id:pk>/reflection/<id:question_pk>/archive/",
        views.reflection_archive,
        name="reflection_archive",
    ),
]
