"""Write a period's report and every appendix as HTML and PDF files, for scheduled committee packs."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import periods
from organisation.models import Period, Portfolio
from reports import document, pdfs, render
from reports.models import Report


class Command(BaseCommand):
    help = (
        "Build the integrated performance report for a period (the saved draft for that period and scope if "
        "there is one, with its edited paragraphs; else the report as the app drafts it) and write the report "
        "and each appendix as HTML and/or PDF. Runs in this process; PDFs render in parallel."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="e.g. 2006-07 for July 2006")
        parser.add_argument("--scope", default="council", help='"council" (default), or a portfolio name or id')
        parser.add_argument("--html", help="folder for the HTML files")
        parser.add_argument("--pdf", help="folder for the PDF files")
        parser.add_argument("--meeting-date", help="YYYY-MM-DD, when no report is saved for the period")
        parser.add_argument("--body", default="Cabinet")

    def handle(self, *args, period, scope, html=None, pdf=None, meeting_date=None, body="Cabinet", **options):
        if not html and not pdf:
            raise CommandError("Say where to write: --html DIR and/or --pdf DIR")
        try:
            key = periods.parse(period).key
        except periods.PeriodKeyError as exc:
            raise CommandError(str(exc)) from exc
        portfolio = self._portfolio(scope)
        report = self._report(key, portfolio, meeting_date, body)
        started = time.perf_counter()
        doc = document.build(report)
        parts = render.print_parts(doc)
        built = time.perf_counter() - started
        self.stdout.write(f"{report}: figures and HTML in {built:.1f}s")
        if html:
            folder = Path(html)
            folder.mkdir(parents=True, exist_ok=True)
            for part in parts:
                (folder / part.filename.replace(".pdf", ".html")).write_text(part.html, encoding="utf-8")
            self.stdout.write(f"Wrote {len(parts)} HTML files to {folder}")
        if pdf:
            folder = Path(pdf)
            folder.mkdir(parents=True, exist_ok=True)
            by_name = {p.part: p for p in parts}
            started = time.perf_counter()

            def done(name, data):
                (folder / by_name[name].filename).write_bytes(data)
                self.stdout.write(f"  {by_name[name].filename} ({len(data):,} bytes)")

            pdfs.render_all([(p.part, p.html) for p in parts], on_done=done)
            self.stdout.write(f"Wrote {len(parts)} PDFs to {folder} in {time.perf_counter() - started:.1f}s "
                              f"on {min(pdfs.workers(), len(parts))} processes")

    def _portfolio(self, scope: str):
        if scope.lower() in ("council", "whole", "whole council", ""):
            return None
        found = Portfolio.objects.filter(pk=int(scope)).first() if scope.isdigit() else (
            Portfolio.objects.filter(name__iexact=scope).first()
        )
        if found is None:
            raise CommandError(f"No portfolio {scope!r}; use 'council' or one of: "
                               + ", ".join(Portfolio.objects.values_list("name", flat=True)))
        return found

    def _report(self, key, portfolio, meeting_date, body) -> Report:
        saved = Report.objects.filter(period__key=key, portfolio=portfolio).select_related("period", "portfolio")
        report = saved.order_by("-id").first()
        if report is not None:
            return report
        when = date.fromisoformat(meeting_date) if meeting_date else periods.parse(key).end
        period_row = Period.objects.filter(key=key).first() or Period(
            key=key, kind=periods.parse(key).kind, fy=periods.parse(key).fy, number=periods.parse(key).number,
            start=periods.parse(key).start, end=periods.parse(key).end,
        )
        return Report(period=period_row, portfolio=portfolio, meeting_date=when, body=body)
