from django.urls import path

from impactlog.participants import guardian_views, link_views, views

app_name = "participants"
urlpatterns = [
    path("n/<id:pk>/young-people/", views.participant_list, name="list"),
    path("n/<id:pk>/young-people/new/", views.register, name="register"),
    path("n/<id:pk>/young-people/settings/", views.settings_page, name="settings"),
    path("n/<id:pk>/young-people/settings/notice/", views.notice_page, name="notice"),
    path("n/<id:pk>/young-people/settings/retention/", views.retention_page, name="retention"),
    path("n/<id:pk>/young-people/<id:participant_pk>/", views.detail, name="detail"),
    path("n/<id:pk>/young-people/<id:participant_pk>/erase/", views.erase, name="erase"),
    path(
        "n/<id:pk>/young-people/<id:participant_pk>/export.json",
        views.export_json,
        name="export_json",
    ),
    path(
        "n/<id:pk>/young-people/<id:participant_pk>/export.pdf",
        views.export_pdf,
        name="export_pdf",
    ),
    path("n/<id:pk>/young-people/<id:participant_pk>/edit/", views.edit, name="edit"),
    path(
        "n/<id:pk>/young-people/<id:participant_pk>/consent/",
        views.consent_add,
        name="consent",
    ),
    path(
        "n/<id:pk>/young-people/<id:participant_pk>/consent/<id:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="withdraw",
    ),
    path("n/<id:pk>/young-people/<id:participant_pk>/link/", link_views.link_page, name="link"),
    path(
        "n/<id:pk>/young-people/<id:participant_pk>/link/revoke/",
        link_views.link_revoke,
        name="link_revoke",
    ),
    path(
        "n/<id:pk>/young-people/guardian/new/",
        guardian_views.guardian_request,
        name="guardian_request",
    ),
    path(
        "n/<id:pk>/young-people/guardian/paper/",
        guardian_views.paper_form,
        name="guardian_paper",
    ),
    path(
        "n/<id:pk>/young-people/guardian/paper.pdf",
        guardian_views.paper_form_pdf,
        name="guardian_paper_pdf",
    ),
    path("guardian/<str:token>/", guardian_views.guardian_consent, name="guardian_consent"),
]
