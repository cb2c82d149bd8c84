from django.urls import path

from impactlog.glossary import views

app_name = "glossary"
urlpatterns = [
    path("n/<id:pk>/definitions/", views.glossary, name="definitions"),
    path(
        "n/<id:pk>/definitions/questions/",
        views.definition_questions,
        name="definition_questions",
    ),
    path(
        "n/<id:pk>/definitions/<slug:key>/",
        views.definition_detail,
        name="definition",
    ),
    path(
        "n/<id:pk>/definitions/<slug:key>/edit/",
        views.definition_edit,
        name="definition_edit",
    ),
    path(
        "n/<id:pk>/definitions/<slug:key>/ask/",
        views.definition_ask,
        name="definition_ask",
    ),
    path(
        "n/<id:pk>/definitions/<slug:key>/questions/<id:question_pk>/answer/",
        views.definition_answer,
        name="definition_answer",
    ),
]
