from django.urls import path

from impactlog.progress import views

app_name = "progress"
ONE = "n/<id:pk>/young-people/<id:participant_pk>/progress/"
urlpatterns = [
    path(ONE, views.timeline, name="timeline"),
    path(f"{ONE}rate/", views.rate, name="rate"),
    path(f"{ONE}note/", views.note, name="note"),
    path(f"{ONE}goals/new/", views.goal_add, name="goal_add"),
    path(f"{ONE}goals/<id:goal_pk>/", views.goal, name="goal"),
    path(f"{ONE}journal/<id:entry_pk>/answer/", views.answer, name="answer"),
    path(f"{ONE}summary/", views.summary, name="summary"),
    path(f"{ONE}summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("n/<id:pk>/young-people/recognitions/", views.recognitions, name="recognitions"),
    path(
        "n/<id:pk>/young-people/recognitions/<id:recognition_pk>/approve/",
        views.recognition_approve,
        name="recognition_approve",
    ),
    path(
        "n/<id:pk>/young-people/recognitions/<id:recognition_pk>/reject/",
        views.recognition_reject,
        name="recognition_reject",
    ),
    path("n/<id:pk>/young-people/settings/competences/", views.competences, name="competences"),
]
