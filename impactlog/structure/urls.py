from django.urls import path

from impactlog.structure import views

app_name = "structure"
urlpatterns = [
    path("n/<id:pk>/", views.node_home, name="node"),
    path("n/<id:pk>/structure/", views.structure_tree, name="tree"),
    path("n/<id:pk>/add/", views.node_add, name="add"),
    path("n/<id:pk>/edit/", views.node_edit, name="edit"),
    path("n/<id:pk>/move/", views.node_move, name="move"),
    path("n/<id:pk>/archive/", views.node_archive, name="archive"),
    path("n/<id:pk>/restore/", views.node_restore, name="restore"),
    path("n/<id:pk>/people/", views.members, name="members"),
    path("n/<id:pk>/people/invite/", views.member_invite, name="invite"),
    path("n/<id:pk>/people/<id:membership_pk>/", views.member_edit, name="member_edit"),
    path(
        "n/<id:pk>/people/<id:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "n/<id:pk>/invitations/<id:invitation_pk>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("n/<id:pk>/audit/", views.audit_log, name="audit"),
]
