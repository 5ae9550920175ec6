"""RSS and Atom feeds of the open digitization queue (newest requests first)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from mogao.digitization import selectors
from mogao.digitization.models import Request


class QueueFeed(Feed):
    def title(self) -> str:
        return _("Mogao: digitization requests")

    def description(self) -> str:
        return _("Items readers asked to be digitized, with their status and priority.")

    def link(self) -> str:
        return reverse("digitization:queue")

    def items(self) -> Any:
        # what anyone may see (feeds are public and cached by readers: never a private item)
        return selectors.queue(AnonymousUser()).order_by("-created", "-pk")[:50]

    def item_title(self, item: Request) -> str:
        return f"{item.item.shelfmark or item.item.pid} — {item.item.label()} [{item.get_status_display()}]"

    def item_description(self, item: Request) -> str:
        n = getattr(item, "n_readers", 0)
        return _("%(holder)s · %(readers)s readers · priority %(priority)s") % {
            "holder": item.item.institution.code, "readers": n, "priority": item.score}

    def item_link(self, item: Request) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Request) -> Any:
        return item.created

    def item_updateddate(self, item: Request) -> Any:
        return item.updated


class AtomQueueFeed(QueueFeed):
    feed_type = Atom1Feed
    subtitle = QueueFeed.description
