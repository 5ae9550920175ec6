"""Sending notifications (#17): rows for the on-site list, mails after commit, digests, unsubscribe.

See the package docstring (:mod:`mogao.notify`) for the API other apps use.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from mogao.core.urls import absolute
from mogao.notify.kinds import digests, label_of
from mogao.notify.models import SUBJECT_MAX, URL_MAX, Notification, Preference

log = logging.getLogger(__name__)

#: Languages of the interface a mail may be written in (Django codes).
INTERFACE_LANGUAGES = ("en", "fr", "zh-hans", "zh-hant")
UNSUBSCRIBE_SALT = "mogao.notify.unsubscribe"
TOKEN_MAX = 400
LIST_UNSUBSCRIBE_POST = "List-Unsubscribe=One-Click"


# ---------------------------------------------------------------------------------------- who and how


def language_of(user: Any, profile: Any = None) -> str:
    """The interface language to write to ``user`` in: the first language of their profile that the
    interface speaks (``zh-Hant`` → ``zh-hant``), else ``settings.LANGUAGE_CODE``."""
    if profile is None:
        from mogao.accounts.models import Profile

        profile = Profile.objects.filter(user_id=user.pk).first()
    for tag in (getattr(profile, "languages", None) or []):
        code = str(tag).lower()
        if code in INTERFACE_LANGUAGES:
            return code
    return str(settings.LANGUAGE_CODE)


def verified_addresses(user_ids: Iterable[int]) -> dict[int, str]:
    """The verified primary e-mail address of each account that has one (django-allauth)."""
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(user_id__in=list(user_ids), verified=True, primary=True)
    return {int(user_id): str(email) for user_id, email in rows.values_list("user_id", "email")}


def email_opted_out(user_ids: Iterable[int], kind: str) -> set[int]:
    """The accounts among ``user_ids`` that turned off e-mail for ``kind``."""
    rows = Preference.objects.filter(user_id__in=list(user_ids), kind=kind, email=False)
    return set(rows.values_list("user_id", flat=True))


def set_email(user: Any, kind: str, email: bool) -> None:
    """Turn e-mail of ``kind`` on or off for ``user``."""
    Preference.objects.update_or_create(user_id=user.pk, kind=kind, defaults={"email": email})


def unsubscribe_token(user: Any, kind: str) -> str:
    """A signed token that turns off e-mail of ``kind`` for ``user`` (and can do nothing else)."""
    return signing.dumps([int(user.pk), kind], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """``(user id, kind)`` of a genuine token, else ``None``."""
    if not token or len(token) > TOKEN_MAX:
        return None
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
            or not isinstance(value[1], str)):
        return None
    return value[0], value[1]


def unsubscribe_url(user: Any, kind: str) -> str:
    return absolute(reverse("notify:unsubscribe", args=[unsubscribe_token(user, kind)]))


def absolute_link(url: str) -> str:
    """``url`` (a path of this site or an absolute http(s) address) made absolute; ``""`` stays empty."""
    if not url:
        return ""
    if url.startswith("/") and not url.startswith("//"):
        return absolute(url)
    if url.startswith(("https://", "http://")):
        return url
    raise ValueError(f"notification link {url!r}: a path of this site or an http(s) address")


# ---------------------------------------------------------------------------------------- rendering


def _render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping (mail text is not HTML)."""
    template = get_template(name)
    return str(template.template.render(Context(context, autoescape=False)))  # type: ignore[attr-defined]


def _render_html(name: str, context: dict[str, Any]) -> str | None:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return None
    return str(template.render(context))


def _one_line(text: str) -> str:
    line = re.sub(r"\s+", " ", text).strip()
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1] + "…"


@dataclass
class _Mail:
    message: EmailMultiAlternatives
    notifications: list[int] = field(default_factory=list)
    #: A digest's notifications are claimed (``digested_at``) before it goes; a failure releases them.
    digest: bool = False


def _mail(to: str, subject: str, text: str, html: str | None, unsubscribe: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers={
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": LIST_UNSUBSCRIBE_POST,
        "Auto-Submitted": "auto-generated",
    })
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def _send(mails: Sequence[_Mail]) -> int:
    """Send each mail; a failure is logged, never raised. Returns how many went."""
    sent = 0
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception:
        log.exception("notification mail: cannot reach the mail server; %d mail(s) not sent", len(mails))
        _release([m for m in mails if m.digest])
        return 0
    try:
        for mail in mails:
            try:
                connection.send_messages([mail.message])
            except Exception:
                log.exception("notification mail to account could not be sent (%s)", mail.message.subject)
                if mail.digest:
                    _release([mail])
                continue
            sent += 1
            if mail.notifications and not mail.digest:
                Notification.objects.filter(pk__in=mail.notifications).update(emailed_at=timezone.now())
    finally:
        try:
            connection.close()
        except Exception:
            log.exception("notification mail: closing the connection failed")
    return sent


def _release(mails: Sequence[_Mail]) -> None:
    """Digest mails that did not go: their notifications wait for the next digest."""
    ids = [pk for mail in mails for pk in mail.notifications]
    if ids:
        Notification.objects.filter(pk__in=ids).update(digested_at=None)


def _send_after_commit(mails: list[_Mail]) -> None:
    if mails:
        transaction.on_commit(lambda: _send(mails), robust=True)


# ---------------------------------------------------------------------------------------- notify


def _recipients(recipients: Iterable[Any]) -> list[Any]:
    """Active accounts, each once, in the order given."""
    seen: set[int] = set()
    out = []
    for user in recipients:
        if user is None or user.pk is None or user.pk in seen or not getattr(user, "is_active", False):
            continue
        seen.add(user.pk)
        out.append(user)
    return out


def _profiles(user_ids: list[int]) -> dict[int, Any]:
    from mogao.accounts.models import Profile

    return {p.user_id: p for p in Profile.objects.filter(user_id__in=user_ids)}


def notify(recipients: Iterable[Any], kind: str, *, template: str, context: dict[str, Any], url: str,
           email: bool = True) -> int:
    """Tell each active recipient, in their language; returns how many were notified."""
    if len(url) > URL_MAX:
        raise ValueError(f"notification link longer than {URL_MAX} characters")
    link = absolute_link(url)
    people = _recipients(recipients)
    if not people:
        return 0
    ids = [u.pk for u in people]
    profiles = _profiles(ids)
    addresses = verified_addresses(ids) if email else {}
    opted_out = email_opted_out(ids, kind) if email else set()
    mails: list[_Mail] = []
    with transaction.atomic():
        for user in people:
            with translation.override(language_of(user, profiles.get(user.pk))):
                base = {**context, "recipient": user, "url": link, "kind": kind, "kind_label": label_of(kind),
                        "settings_url": absolute(reverse("notify:settings")), "for_mail": False}
                subject = _one_line(_render_text(f"{template}_subject.txt", base))
                body = _render_text(f"{template}.txt", base).strip()
                note = Notification.objects.create(recipient=user, kind=kind, subject=subject, body=body, url=url)
                address = addresses.get(user.pk)
                if address is None or user.pk in opted_out:
                    continue
                leave = unsubscribe_url(user, kind)
                in_mail = {**base, "for_mail": True, "unsubscribe_url": leave}
                text = _render_text(f"{template}.txt", in_mail)
                html = _render_html(f"{template}.html", in_mail)
                mails.append(_Mail(_mail(address, subject, text, html, leave), [note.pk]))
    _send_after_commit(mails)
    return len(people)


# ---------------------------------------------------------------------------------------- digests


def send_digest(kind_prefix: str, recipients: Iterable[Any], *, template: str,
                context_for: Callable[[Any], dict[str, Any]] | None = None) -> int:
    """One mail per person summarising their unread notifications whose kind starts with
    ``kind_prefix`` and that no earlier digest included. Returns how many mails are queued.

    Turning e-mail off for the kind ``kind_prefix`` (register it with :func:`register_kind`) stops
    the digest; its unsubscribe link does the same.
    """
    people = _recipients(recipients)
    ids = [u.pk for u in people]
    addresses = verified_addresses(ids)
    opted_out = email_opted_out(ids, kind_prefix)
    profiles = _profiles(ids)
    mails: list[_Mail] = []
    for user in people:
        address = addresses.get(user.pk)
        if address is None or user.pk in opted_out:
            continue
        with transaction.atomic():  # a template error releases the claim
            # Claim the notifications first, so that two digest runs at once never summarise one twice.
            waiting = Notification.objects.filter(recipient=user, kind__startswith=kind_prefix, read_at__isnull=True,
                                                  digested_at__isnull=True)
            stamp = timezone.now()
            if not waiting.update(digested_at=stamp):
                continue
            notes = list(Notification.objects.filter(recipient=user, digested_at=stamp).order_by("created", "pk"))
            for note in notes:
                note.absolute_url = absolute_link(note.url)  # type: ignore[attr-defined]
            with translation.override(language_of(user, profiles.get(user.pk))):
                leave = unsubscribe_url(user, kind_prefix)
                ctx = {**(context_for(user) if context_for else {}), "recipient": user, "notifications": notes,
                       "count": len(notes), "kind": kind_prefix, "kind_label": label_of(kind_prefix),
                       "settings_url": absolute(reverse("notify:settings")), "for_mail": True,
                       "unsubscribe_url": leave, "url": absolute(reverse("notify:settings"))}
                subject = _one_line(_render_text(f"{template}_subject.txt", ctx))
                text = _render_text(f"{template}.txt", ctx)
                html = _render_html(f"{template}.html", ctx)
            mails.append(_Mail(_mail(address, subject, text, html, leave), [n.pk for n in notes], digest=True))
    _send_after_commit(mails)
    return len(mails)


def run_digests() -> dict[str, int]:
    """Send every registered digest (:func:`mogao.notify.register_digest`); mails queued per prefix."""
    return {d.kind_prefix: send_digest(d.kind_prefix, d.recipients(), template=d.template,
                                       context_for=d.context_for) for d in digests()}


# ---------------------------------------------------------------------------------------- reading


def unread_count(user: Any) -> int:
    return int(Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count())


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications read (all of them, or those of ``ids``); returns how many."""
    qs = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return int(qs.update(read_at=timezone.now()))


def remove_for_account(user: Any) -> int:
    """Delete the notifications and preferences of ``user`` (account deletion, either mode)."""
    removed, _per_model = Notification.objects.filter(recipient_id=user.pk).delete()
    Preference.objects.filter(user_id=user.pk).delete()
    return int(removed)
