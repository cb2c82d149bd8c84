from django.urls import path

from impactlog.logbook.figures import views as figures
from impactlog.logbook.io import views as io
from impactlog.logbook.views import activities, files, sessions

app_name = "logbook"
urlpatterns = [
    path("n/<id:pk>/activities/", activities.activities, name="activities"),
    path("n/<id:pk>/activities/new/", activities.activity_add, name="activity_add"),
    path("n/<id:pk>/activities/<id:activity_pk>/", activities.activity_edit, name="activity_edit"),
    path("n/<id:pk>/activities/<id:activity_pk>/week/", sessions.week_grid, name="week"),
    path("n/<id:pk>/log/", sessions.log_session, name="log"),
    path("n/<id:pk>/sessions/", sessions.sessions, name="sessions"),
    path("n/<id:pk>/sessions/<id:session_pk>/", sessions.session_edit, name="session_edit"),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/history/",
        sessions.session_history,
        name="session_history",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/delete/",
        sessions.session_delete,
        name="session_delete",
    ),
    path("n/<id:pk>/figures/", figures.figures, name="figures"),
    path("n/<id:pk>/export/", io.export_page, name="export"),
    path(
        "n/<id:pk>/export/sessions.csv",
        io.export_sessions,
        {"file_format": "csv"},
        name="export_sessions_csv",
    ),
    path(
        "n/<id:pk>/export/sessions.xlsx",
        io.export_sessions,
        {"file_format": "xlsx"},
        name="export_sessions_xlsx",
    ),
    path("n/<id:pk>/export/sessions-job/", io.export_sessions_job, name="export_sessions_job"),
    path(
        "n/<id:pk>/export/figures.csv",
        io.export_figures,
        {"file_format": "csv"},
        name="export_figures_csv",
    ),
    path(
        "n/<id:pk>/export/figures.xlsx",
        io.export_figures,
        {"file_format": "xlsx"},
        name="export_figures_xlsx",
    ),
    path("n/<id:pk>/import/", io.import_sessions, name="import"),
    path("n/<id:pk>/import/check/", io.import_check, name="import_check"),
    path(
        "n/<id:pk>/import/template.csv",
        io.import_template,
        {"file_format": "csv"},
        name="import_template_csv",
    ),
    path(
        "n/<id:pk>/import/template.xlsx",
        io.import_template,
        {"file_format": "xlsx"},
        name="import_template_xlsx",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/files/",
        files.session_files,
        name="session_files",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/files/<id:file_pk>/",
        files.session_file,
        name="session_file",
    ),
    path(
        "n/<id:pk>/sessions/<id:session_pk>/files/<id:file_pk>/delete/",
        files.session_file_delete,
        name="session_file_delete",
    ),
]
