"""The password reset form of the portal's own account pages."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from core.mail import queue_mail


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, its mail sent through the queue (core.mail): a mail
    server that is down does not make the page fail, and the mail follows when it is back."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_mail(user_id=context["user"].pk, subject=subject, body=body, about="password reset")
