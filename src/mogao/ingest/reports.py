"""Human-readable reports of ingest runs (CLI output, admin detail) and the CSV template."""

from __future__ import annotations

import csv
import io

from mogao.ingest.models import IngestRun

#: Columns of the template CSV offered in the admin, with one example row.
TEMPLATE_COLUMNS = [
    "identifier", "institution", "collection", "shelfmark", "title@zh-Hant", "title@en", "title@fr",
    "description@en", "type", "languages", "date", "year_start", "year_end", "material@en",
    "dimensions", "extent", "provenance@en", "rights", "works", "digitization_status",
]
TEMPLATE_EXAMPLE = [
    "Or.8210/P.2", "BL", "stein", "Or.8210/P.2", "金剛般若波羅蜜經", "Diamond Sutra", "Sūtra du Diamant",
    "Printed scroll with a frontispiece, dated 868.", "scroll", "lzh", "咸通九年四月十五日", "868", "868",
    "paper", "26.5 x 488 cm", "7 sheets", "Dunhuang, Library Cave (Cave 17)",
    "http://creativecommons.org/publicdomain/mark/1.0/", "taisho:T0235", "digitized",
]


def template_csv() -> str:
    """The template CSV: the documented header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return out.getvalue()


def run_summary(run: IngestRun, *, max_errors: int = 50) -> str:
    """A plain-text report: status, counts, duration, rate, then the first ``max_errors`` problems."""
    duration = run.duration or 0.0
    rate = f", {run.position / duration:,.0f} records/s" if duration > 0 and run.position else ""
    lines = [
        f"Run #{run.pk} {run.kind} {run.source}{' (dry run: nothing written)' if run.dry_run else ''}",
        f"  status {run.status}; {run.total:,} records in {duration:.1f} s{rate}",
        "  " + ", ".join(f"{name} {count:,}" for name, count in run.counts().items()),
    ]
    if run.message:
        lines.append(f"  {run.message}")
    errors = list(run.errors.order_by("index", "id")[: max_errors + 1])
    for error in errors[:max_errors]:
        kind = "warning" if error.is_warning else "error"
        lines.append(f"  {kind}: {error.location}: {error.message}")
    if len(errors) > max_errors:
        lines.append(f"  … {run.errors.count() - max_errors:,} more (see the admin)")
    return "\n".join(lines)
