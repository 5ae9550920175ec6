"""``mogao manage notify_digest``: send every registered notification digest (#17)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mogao.notify import services


class Command(BaseCommand):
    help = "Send the notification digests (e.g. curators' daily digest of new digitization requests)."

    def handle(self, *args: Any, **options: Any) -> None:
        for prefix, count in services.run_digests().items():
            self.stdout.write(f"{prefix}: {count} digest mail(s)")
