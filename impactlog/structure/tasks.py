"""Side effects of structure changes, run by the task worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from impactlog.tenancy.models import Invitation


@task()
def send_invitation_email(invitation_id: int, link: str) -> None:
    # system code: a task runs outside any request scope
    invitation = Invitation.all_objects.select_related("node", "invited_by").get(pk=invitation_id)
    with translation.override(invitation.node.language or settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link}
        subject = render_to_string("structure/email/invitation_subject.txt", context).strip()
        body = render_to_string("structure/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
