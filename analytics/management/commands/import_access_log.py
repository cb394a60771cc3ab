"""Count the audio requests of CDN, object-storage or web-server access logs as downloads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.accesslogs import FORMATS
from analytics.logimport import FileReport, Salts, import_log


class Command(BaseCommand):
    help = (
        "Read access logs (nginx/Apache combined, CloudFront standard, S3 server access; "
        "gzipped or not) and count their audio requests by the same IAB rules as the "
        "download view. A file already imported is counted once; one that grew, from where "
        "it stopped. Every line that cannot be read is listed, and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("files", nargs="+", metavar="FILE", type=Path)

    def handle(self, *args, **options) -> None:
        missing = [str(path) for path in options["files"] if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        salts = Salts()  # one per run: a past day's listeners match across these files
        reports = [self.import_one(path, options["format"], salts) for path in options["files"]]
        errors = sum(len(report.errors) for report in reports)
        downloads = sum(report.downloads for report in reports)
        self.stdout.write(f"total: {len(reports)} file(s), {downloads} download(s) counted")
        if errors:
            raise CommandError(
                f"{errors} line(s) could not be read (listed above); the rest counted"
            )

    def import_one(self, path: Path, format: str, salts: Salts) -> FileReport:
        try:
            report = import_log(path, format, salts=salts)
        except (OSError, EOFError, RuntimeError) as error:
            raise CommandError(f"{path}: {error}") from None
        self.write_report(report)
        return report

    def write_report(self, report: FileReport) -> None:
        new = report.lines - report.already
        self.stdout.write(
            f"{report.name}: {report.lines} line(s), {report.already} counted before, {new} read;"
            f" {report.recorded} audio request(s) recorded, {report.downloads} download(s) counted,"
            f" {len(report.errors)} unreadable"
        )
        for reason, n in sorted(report.passed.items()):
            self.stdout.write(f"  {n} {reason}")
        for number, why in report.errors:
            self.stderr.write(f"{report.name}:{number}: {why}")
