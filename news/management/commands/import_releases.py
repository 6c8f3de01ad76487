"""Import press releases from a file or URL through the same service as the tasks."""

import json
import sys

from django.core.management.base import BaseCommand

from agencies.models import Agency
from news.importing.formats import FORMATS
from news.importing.http import FetchError
from news.importing.inputs import ANY_FILE, read_input
from news.importing.saving import ImportOptions, ImportReport, run_import
from news.importing.sources import import_fetcher

EXIT_ITEMS_FAILED = 1
EXIT_UNUSABLE_INPUT = 2


class Command(BaseCommand):
    help = (
        "Import press releases from a digest, RSS/Atom feed or saved gov.kz JSON, as drafts "
        "in review. Exit status: 0 all imported or unchanged, 1 some items failed (recorded), "
        "2 the input is unusable (nothing written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", metavar="PATH_OR_URL")
        parser.add_argument("--format", choices=("auto", *FORMATS), default="auto")
        parser.add_argument("--agency", metavar="SLUG", help="Agency for releases naming none.")
        parser.add_argument("--dry-run", action="store_true", help="Report without saving.")
        parser.add_argument("--limit", type=int, metavar="N", help="Import the first N items.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON report."
        )

    def handle(self, *args, location, format, agency, dry_run, limit, as_json, **options):
        default_agency = None
        if agency:
            default_agency = Agency.objects.filter(slug=agency).first()
            if default_agency is None:
                self._unusable(f"There is no agency with the slug “{agency}”.", as_json)
        if limit is not None and limit < 1:
            self._unusable("--limit must be a positive number.", as_json)
        try:
            with import_fetcher() as fetcher:
                # Any file: whoever runs this on the server's shell can read it anyway.
                data = read_input(location, files=ANY_FILE, fetcher=fetcher)
        except FetchError as error:
            self._unusable(error.message, as_json)

        show_progress = not as_json and sys.stderr.isatty()
        run, report = run_import(
            data,
            input_name=location,
            format=format,
            options=ImportOptions(default_agency=default_agency, dry_run=dry_run, limit=limit),
            on_progress=self._show_progress if show_progress else None,
        )
        if show_progress:
            sys.stderr.write("\n")
        if report.error_code and report.processed == 0:
            self._unusable(report.error_message, as_json, report)
        self._print(report, as_json, run, dry_run)
        if report.failed or report.error_code:
            sys.exit(EXIT_ITEMS_FAILED)

    def _show_progress(self, report: ImportReport) -> None:
        sys.stderr.write(
            f"\r{report.processed} processed: {report.created} created, {report.updated} "
            f"updated, {report.unchanged} unchanged, {report.failed} failed"
        )
        sys.stderr.flush()

    def _print(self, report: ImportReport, as_json: bool, run, dry_run: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        prefix = "Dry run, nothing saved: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} created, {report.updated} updated, {report.unchanged} "
            f"unchanged, {report.flagged} flagged, {report.failed} failed."
        )
        for error in report.errors:
            self.stderr.write(f"  {error['item']}: {error['message']} [{error['code']}]")
        if report.error_code:
            self.stderr.write(f"The input broke off: {report.error_message}")
        if run is not None:
            self.stdout.write(f"Recorded as import run #{run.pk}.")

    def _unusable(self, message: str, as_json: bool, report: ImportReport | None = None):
        if as_json:
            payload = (report or ImportReport()).as_dict()
            payload["errors"].append(
                {"item": "input", "code": "unusable_input", "message": message}
            )
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self.stderr.write(f"Cannot import: {message}")
        sys.exit(EXIT_UNUSABLE_INPUT)
