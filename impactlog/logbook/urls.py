from django.urls import path

from impactlog.logbook import views

app_name = "logbook"
urlpatterns = [
    path("n/<id:pk>/activities/", views.activities, name="activities"),
    path("n/<id:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("n/<id:pk>/activities/<id:activity_pk>/", views.activity_edit, name="activity_edit"),
    path("n/<id:pk>/activities/<id:activity_pk>/week/", views.week_grid, name="week"),
    path("n/<id:pk>/log/", views.log_session, name="log"),
    path("n/<id:pk>/sessions/", views.sessions, name="sessions"),
    path("n/<id:pk>/sessions/<id:session_pk>/", views.session_edit, name="session_edit"),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/history/",
        views.session_history,
        name="session_history",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/delete/",
        views.session_delete,
        name="session_delete",
    ),
    path("n/<id:pk>/figures/", views.figures, name="figures"),
]
