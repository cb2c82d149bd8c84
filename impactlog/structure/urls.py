from django.urls import path

from impactlog.structure import views

app_name = "structure"
urlpatterns = [
    path("n/<int:pk>/", views.node_home, name="node"),
    path("n/<int:pk>/structure/", views.structure_tree, name="tree"),
    path("n/<int:pk>/add/", views.node_add, name="add"),
    path("n/<int:pk>/edit/", views.node_edit, name="edit"),
    path("n/<int:pk>/move/", views.node_move, name="move"),
    path("n/<int:pk>/archive/", views.node_archive, name="archive"),
    path("n/<int:pk>/restore/", views.node_restore, name="restore"),
    path("n/<int:pk>/people/", views.members, name="members"),
    path("n/<int:pk>/people/invite/", views.member_invite, name="invite"),
    path("n/<int:pk>/people/<int:membership_pk>/", views.member_edit, name="member_edit"),
    path(
        "n/<int:pk>/people/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "n/<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("n/<int:pk>/audit/", views.audit_log, name="audit"),
]
