from django.urls import path

from impactlog.logbook import views, views_files, views_io

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
    path("n/<id:pk>/export/", views_io.export_page, name="export"),
    path(
        "n/<id:pk>/export/sessions.csv",
        views_io.export_sessions,
        {"file_format": "csv"},
        name="export_sessions_csv",
    ),
    path(
        "n/<id:pk>/export/sessions.xlsx",
        views_io.export_sessions,
        {"file_format": "xlsx"},
        name="export_sessions_xlsx",
    ),
    path(
        "n/<id:pk>/export/figures.csv",
        views_io.export_figures,
        {"file_format": "csv"},
        name="export_figures_csv",
    ),
    path(
        "n/<id:pk>/export/figures.xlsx",
        views_io.export_figures,
        {"file_format": "xlsx"},
        name="export_figures_xlsx",
    ),
    path("n/<id:pk>/import/", views_io.import_sessions, name="import"),
    path("n/<id:pk>/import/check/", views_io.import_check, name="import_check"),
    path(
        "n/<id:pk>/import/template.csv",
        views_io.import_template,
        {"file_format": "csv"},
        name="import_template_csv",
    ),
    path(
        "n/<id:pk>/import/template.xlsx",
        views_io.import_template,
        {"file_format": "xlsx"},
        name="import_template_xlsx",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/files/",
        views_files.session_files,
        name="session_files",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/files/<id:file_pk>/",
        views_files.session_file,
        name="session_file",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/files/<id:file_pk>/delete/",
        views_files.session_file_delete,
        name="session_file_delete",
    ),
]
