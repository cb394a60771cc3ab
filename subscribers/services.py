"""Subscriber workflows that touch I/O: emailing a subscriber the link to their page."""

import logging
import smtplib

from django.core.mail import send_mail
from django.template.loader import render_to_string

from . import links
from .models import Subscriber

log = logging.getLogger(__name__)


def send_link(*, subscriber: Subscriber) -> bool:
    """Email the subscriber the signed link to their page; False if the mail server refused."""
    show = subscriber.show
    context = {
        "subscriber": subscriber,
        "show": show,
        "page_url": links.page_url(subscriber),
        "days": links.link_days(),
    }
    body = render_to_string("subscribers/link_email.txt", context)
    try:
        send_mail(f"Your subscriber page for {show.title}", body, None, [subscriber.email])
    except (smtplib.SMTPException, OSError) as error:
        log.warning("subscribers: no link email to subscriber %s: %s", subscriber.pk, error)
        return False
    return True


def send_links(*, subscribers) -> tuple[int, int]:
    """Email each active subscriber their link: (sent, failed). Inactive ones get nothing."""
    sent = failed = 0
    for subscriber in subscribers:
        if send_link(subscriber=subscriber):
            sent += 1
        else:
            failed += 1
    return sent, failed
