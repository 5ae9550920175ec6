"""Notifications (#17): on-site in "My Mogao" and by e-mail, in each reader's language, with unsubscribe.

The API other apps use::

    from mogao.notify import notify, register_kind, register_digest, send_digest

    # in AppConfig.ready(): the label is shown on the settings and unsubscribe pages
    register_kind("digitization.published", _("A digitization you asked for is online"))

    notify(recipients, "digitization.published", template="digitization/mail/published",
           context={"item": item}, url=item.get_absolute_url())  # -> how many were notified

``notify(recipients, kind, *, template, context, url, email=True) -> int``
    For each active recipient (each once): writes in the recipient's language (the first language
    of their profile that the interface speaks: en, fr, zh-hans, zh-hant; else
    ``settings.LANGUAGE_CODE``), renders ``{template}_subject.txt`` and ``{template}.txt`` (and
    ``{template}.html`` when it exists) with ``context`` plus ``recipient``, ``url`` (absolute,
    under the public base URL), ``kind``, ``kind_label``, ``settings_url``, ``for_mail`` and, in
    mails, ``unsubscribe_url``. Stores a :class:`~mogao.notify.models.Notification` (shown on
    ``/me/notifications/`` and in "My Mogao"; its body is the text rendered with ``for_mail``
    false). When ``email`` is true and the person has a verified primary address and has not turned
    that kind off, a mail goes through Django's mail API **after the transaction commits**; a
    failure to send is logged, never raised. ``url`` is a path of this site or an http(s) address.

    Text templates render without HTML escaping. Per-kind templates live with the app that
    registers the kind and usually extend ``notify/mail/base.txt`` (blocks ``content``; the base adds
    the link, and in mails the settings and unsubscribe lines) and ``notify/mail/base.html``.

``register_kind(kind, label)``
    Names a kind (``app.event``) for the settings page, the unsubscribe page and digests.

``send_digest(kind_prefix, recipients, *, template, context_for=None) -> int``
    One mail per person summarising their unread notifications whose kind starts with
    ``kind_prefix`` not yet included in a digest (context: ``notifications``, each with
    ``absolute_url``, ``count`` and the names above, plus ``context_for(user)``); register
    ``kind_prefix`` itself as a kind: turning it off stops the digest. Notify curators with
    ``email=False`` for what only the digest should mail.

``register_digest(kind_prefix, recipients, *, template, context_for=None)``
    Has ``mogao manage notify_digest`` (and the task ``mogao.notify.tasks.digest_task``) send that
    digest to whoever ``recipients()`` returns when it runs.

Every mail carries a one-click unsubscribe link (RFC 8058 ``List-Unsubscribe`` and
``List-Unsubscribe-Post``) to ``/notifications/unsubscribe/<token>/``: a signed token per account
and kind, which can only turn that kind's mail off. Only the recipient sees or marks a
notification (:mod:`mogao.accounts.policy_notify`); administrators read them in the admin.
Deleting an account deletes its notifications and preferences; they are never exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from mogao.notify.kinds import register_digest, register_kind

__all__ = ["notify", "register_digest", "register_kind", "send_digest"]


def notify(recipients: Iterable[Any], kind: str, *, template: str, context: dict[str, Any], url: str,
           email: bool = True) -> int:
    """Notify each active recipient in their language; see the module docstring."""
    from mogao.notify import services

    return services.notify(recipients, kind, template=template, context=context, url=url, email=email)


def send_digest(kind_prefix: str, recipients: Iterable[Any], *, template: str,
                context_for: Callable[[Any], dict[str, Any]] | None = None) -> int:
    """Mail each recipient one digest of their unread notifications of ``kind_prefix``."""
    from mogao.notify import services

    return services.send_digest(kind_prefix, recipients, template=template, context_for=context_for)
