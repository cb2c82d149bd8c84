from django.urls import path

from impactlog.kiosk.cards import views

app_name = "cards"
urlpatterns = [
    path("n/<id:pk>/young-people/cards/", views.unit_cards, name="unit"),
    path("n/<id:pk>/young-people/cards/issue/", views.issue_missing, name="issue_missing"),
    path("n/<id:pk>/young-people/cards/sheet/", views.sheet_html, name="sheet"),
    path("n/<id:pk>/young-people/cards/sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("n/<id:pk>/young-people/<id:participant_pk>/card/issue/", views.issue, name="issue"),
    path("n/<id:pk>/young-people/<id:participant_pk>/card/revoke/", views.revoke, name="revoke"),
]
