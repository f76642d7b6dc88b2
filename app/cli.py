"""The command line: `flask funds …`, `flask users …`, `flask mail …`, `flask projects …` and
`flask privacy …` (its commands live in app/privacy/cli.py), `flask jobs …` (app/jobs/cli.py)
and `flask payments sie` (app/ledger/sie/cli.py).

This interface is used by scripts outside the project: keep names, options and exit codes stable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.audit import Actor
from app.core.errors import DomainError, ImportRefused
from app.extensions import db
from app.jobs.cli import jobs_cli
from app.ledger.sie.cli import payments_cli
from app.privacy.cli import privacy_cli

funds_cli = AppGroup("funds", help="Fondernas huvudbok: import, export, årsbokslut, rapporter, säkerhetskopior.")
users_cli = AppGroup("users", help="Konton.")
mail_cli = AppGroup("mail", help="Utgående e-post.")
projects_cli = AppGroup("projects", help="Uppföljning av beviljade projekt.")


def cli_actor() -> Actor:
    """Name the operator in the audit log by the OS account that ran the command."""
    return Actor.command_line()


def fail(message: str, code: int = 1) -> None:
    db.session.rollback()
    click.echo(f"Fel: {message}", err=True)
    sys.exit(code)


@funds_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Ersätt tilldelningar som redan finns.")
def import_command(file: Path, replace: bool) -> None:
    """Import a stimulansmedel/1 file (YAML or JSON); a refused file changes nothing."""
    from app.ledger.exchange.importing import import_document
    from app.ledger.exchange.yaml_text import decode_text
    from app.ledger.forms import size_text

    limit = current_app.config["IMPORT_MAX_BYTES"]
    try:
        with file.open("rb") as stream:
            data = stream.read(limit + 1)  # never more: a huge file is refused unread
    except FileNotFoundError:
        fail(f"filen {file} finns inte")
    except OSError as exc:
        fail(f"kan inte läsa {file}: {exc.strerror}")
    if len(data) > limit:
        fail(f"{file} är större än {size_text(limit)}, det största som importeras "
             "(inställningen IMPORT_MAX_BYTES); inget har ändrats")
    try:
        result = import_document(decode_text(data), cli_actor(), replace=replace)
        db.session.commit()
    except ImportRefused as exc:
        db.session.rollback()
        click.echo(f"Fel: {file} importerades inte; inget har ändrats.", err=True)
        for problem in exc.problems:
            click.echo(f"  {file}: {problem}", err=True)
        sys.exit(1)
    except DomainError as exc:
        fail(str(exc))
    for warning in result.warnings:
        click.echo(f"Varning: {file}: {warning}", err=True)
    # Scripts read the code and year first; the fund's name follows for the people.
    for label in result.created:
        click.echo(f"Importerade {label} ({result.name_of(label)})")
    for label in result.replaced:
        click.echo(f"Ersatte {label} ({result.name_of(label)})")


@funds_cli.command("export")
@click.option("--year", "year", type=int, required=True, help="Året som exporteras.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Fil att skriva (annars standard ut).")
def export_command(year: int, output: Path | None) -> None:
    """Export a year in the stimulansmedel/1 format."""
    from app.ledger.exchange.exporting import export_year

    try:
        text = export_year(year)
    except DomainError as exc:
        fail(str(exc))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Skrev {output}", err=True)


@funds_cli.command("close-year")
@click.argument("year", type=int)
@click.option("--accept-missing-outcomes", is_flag=True,
              help="Godta rader med budget men utan utfall som 0 kr använt (loggas).")
def close_year_command(year: int, accept_missing_outcomes: bool) -> None:
    """Close a year: carry each fund's remainder into the next year. Lines with a budget but
    no outcome refuse the closing (exit 1) unless --accept-missing-outcomes is given."""
    from app.call.calls import open_calls_of_year
    from app.core.money import format_amount
    from app.ledger.years import close_year

    # The open calls on the year's pots, which the closing closes (app/call/calls.py listens).
    calls = [call.title for call in open_calls_of_year(year)]
    try:
        closing = close_year(year, cli_actor(), accept_missing_outcomes=accept_missing_outcomes)
        db.session.commit()
    except DomainError as exc:
        fail(f"året {year} stängdes inte: {exc}")
    click.echo(f"Stängde {year}.")
    for title in calls:
        click.echo(f"  stängde utlysningen ”{title}”: årets pott tar inte emot fler ansökningar")
    for carry in closing.carry_overs:
        verb = "överförs till" if carry.rule == "carry_over" else "betalas tillbaka, inte till"
        click.echo(f"  {carry.from_allocation.earmark.code}: "
                   f"{format_amount(carry.amount, unit=True)} {verb} {carry.to_year}")


@funds_cli.command("check")
@click.option("--year", "year", type=int, required=True, help="Året som kontrolleras.")
def check_command(year: int) -> None:
    """List what a coordinator must look at in a year (the dashboard's warnings); exit 1
    when there is anything, so a daily job can mail it."""
    from flask import get_template_attribute

    from app.ledger.checks import ledger_warnings
    from app.ledger.queries import load_ledger

    ledger = load_ledger([year])
    if not ledger.allocations and not ledger.carried_in:
        fail(f"det finns inga tilldelningar för {year}")
    warnings = [w for w in ledger_warnings(ledger) if w.year == year]
    wording = get_template_attribute("macros/ledger.html", "warning_text")
    for warning in warnings:
        click.echo(" ".join(str(wording(warning)).split()))
    if warnings:
        sys.exit(1)
    click.echo(f"Inget att se över för {year}.")


@funds_cli.command("reopen-year")
@click.argument("year", type=int)
def reopen_year_command(year: int) -> None:
    """Reopen a closed year, undoing its carry-over."""
    from app.ledger.years import reopen_year

    try:
        reopen_year(year, cli_actor())
        db.session.commit()
    except DomainError as exc:
        fail(str(exc))
    click.echo(f"Öppnade {year} igen; överföringen till {year + 1} är ångrad.")


@funds_cli.command("report")
@click.argument("kind", type=click.Choice(["followup", "budget", "workbook", "year"]))
@click.option("--earmark", help="Fondens kod, t.ex. samverkan (inte för workbook och year).")
@click.option("--year", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(["pdf", "csv", "xlsx"]), default="pdf",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
def report_command(kind: str, earmark: str, year: int, fmt: str, output: Path, lang: str) -> None:
    """Write a fund's follow-up or budget report for a year, the year's follow-ups as one
    Excel workbook (workbook: a sheet per fund), or the year's document for SVOM (year: every
    fund's follow-up and the next year's budgets, as pdf or xlsx)."""
    from app.year_reports.downloads import (
        render_report,
        render_year_document,
        render_year_workbook,
    )

    try:
        if kind == "workbook":
            content = render_year_workbook(year, lang)
        elif kind == "year":
            content = render_year_document(year, fmt, lang)
        elif not earmark:
            fail("ange fonden med --earmark")
        else:
            content = render_report(kind, earmark, year, fmt, lang=lang)
    except DomainError as exc:
        fail(str(exc))
    output.write_bytes(content)
    click.echo(f"Skrev {output}", err=True)


@funds_cli.command("add-earmark")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--description", default="")
@click.option("--remainder", type=click.Choice(["carry_over", "pay_back"]), default="carry_over")
def add_earmark_command(code: str, name: str, description: str, remainder: str) -> None:
    """Define a new earmark (fund) without code changes."""
    from app.ledger.earmarks import add_earmark

    try:
        add_earmark(code, name, cli_actor(), description=description, remainder_rule=remainder)
        db.session.commit()
    except DomainError as exc:
        fail(str(exc))
    click.echo(f"Lade till fonden {code}.")


@funds_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Back up every table and the attachments' files into one zip file (see docs/backup.md)."""
    from flask import current_app

    from app.admin.backup import write_backup
    from app.core.security_log import security_event

    try:
        summary = write_backup(file, Path(current_app.config["UPLOAD_FOLDER"]))
    except DomainError as exc:
        fail(f"ingen säkerhetskopia skrevs: {exc}")
    except OSError as exc:
        fail(f"kan inte skriva {file}: {exc.strerror or exc}")
    security_event("backup.create", user=cli_actor().label, file=str(file),
                   rows=summary.total_rows, files=summary.files)
    click.echo(f"Skrev {file}: {summary.total_rows} rader i {len(summary.rows)} tabeller och "
               f"{summary.files} filer (schemaversion {summary.revision}).")


@funds_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Ersätt allt som redan finns i databasen och i mappen för bilagor.")
def restore_command(file: Path, replace: bool) -> None:
    """Restore a backup into an empty database of the same schema version (or --replace)."""
    from flask import current_app

    from app.admin.restore import restore_backup
    from app.core.security_log import security_event

    try:
        result = restore_backup(file, Path(current_app.config["UPLOAD_FOLDER"]), replace=replace)
        try:
            db.session.commit()
        except Exception:
            result.remove_new_files()
            raise
    except DomainError as exc:
        security_event("backup.restore", outcome="refused", user=cli_actor().label,
                       file=str(file), reason=str(exc))
        fail(f"{file} återställdes inte; databasen är oförändrad: {exc}")
    except OSError as exc:
        fail(f"kan inte läsa {file} eller skriva bilagorna: {exc.strerror or exc}")
    result.remove_stale_files()
    security_event("backup.restore", user=cli_actor().label, file=str(file),
                   rows=result.total_rows, files=result.files, replace=replace)
    click.echo(f"Återställde {result.total_rows} rader i {len(result.rows)} tabeller och "
               f"{result.files} filer från {file} (tagen {result.created_at}, schemaversion "
               f"{result.revision}).")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "coordinator", "viewer", "applicant"]),
              required=True)
@click.option("--name", default="")
@click.option("--organisation", default=None,
              help="Sökandes organisation (skapas om den inte finns).")
@click.option("--organisation-kind", default="other", show_default=True,
              type=click.Choice(["municipality", "region_unit", "health_centre", "school",
                                 "association", "other"]))
@click.option("--password-stdin", is_flag=True, help="Läs lösenordet från standard in.")
def create_user_command(email: str, role: str, name: str, organisation: str | None,
                        organisation_kind: str, password_stdin: bool) -> None:
    """Create an account; asks for the password unless --password-stdin is given."""
    from app.accounts.organisations import find_or_create_organisation
    from app.accounts.users import create_user

    if role == "applicant" and not organisation:
        fail("en sökande (--role applicant) behöver --organisation NAMN")
    if role != "applicant" and organisation:
        fail("--organisation hör bara till --role applicant")

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Lösenord", hide_input=True, confirmation_prompt="Upprepa lösenordet")
    try:
        org = None
        if organisation:
            org = find_or_create_organisation(organisation, organisation_kind, cli_actor())
        user = create_user(email, password, role, cli_actor(), name=name, organisation=org)
        db.session.commit()
    except DomainError as exc:
        fail(str(exc))
    click.echo(f"Skapade {user.email} ({user.role.value}).")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="Kommandorad", show_default=True, help="Nyckelns namn.")
@click.option("--days", type=click.IntRange(1, 730), default=None,
              help="Giltig i så många dagar (annars tills den återkallas).")
def token_command(email: str, name: str, days: int | None) -> None:
    """Create a personal API token for an account; the token is printed as the last line,
    this once (only its hash is kept)."""
    from app.accounts.api_tokens import create_token
    from app.accounts.users import find_by_email

    user = find_by_email(email)
    if user is None:
        fail(f"det finns inget konto med e-postadressen {email}")
    try:
        token, secret = create_token(user, name, days, cli_actor())
        db.session.commit()
    except DomainError as exc:
        fail(str(exc))
    until = f"till {token.expires_at:%Y-%m-%d}" if token.expires_at else "tills den återkallas"
    click.echo(f"Skapade API-nyckeln ”{token.name}” för {user.email} ({user.role.value}), "
               f"giltig {until}. Den visas bara nu:", err=True)
    click.echo(secret)


@funds_cli.command("demo")
@click.option("--password", default=None, help="Demokontonas lösenord (standard: DEMO_PASSWORD eller 'stimulans-demo').")
def demo_command(password: str | None) -> None:
    """Create the schema, import the 2020 data of Region Jämtland Härjedalen and demo accounts."""
    from flask_migrate import upgrade

    from app.accounts.models import User
    from app.accounts.users import create_user
    from app.ledger.exchange.importing import import_document
    from app.ledger.models import Allocation

    upgrade()
    actor = cli_actor()
    password = password or os.environ.get("DEMO_PASSWORD") or "stimulans-demo"
    if db.session.scalar(select(Allocation.id).limit(1)) is None:
        data = Path(__file__).parent / "data" / "jamtland-2020.yaml"
        import_document(data.read_text(encoding="utf-8"), actor)
        click.echo("Importerade 2020 års länsmedel (Region Jämtland Härjedalen).")
    for email, role, name in (
        ("admin@example.se", "admin", "Ada Administratör"),
        ("samordnare@example.se", "coordinator", "Sam Samordnare"),
        ("lasare@example.se", "viewer", "Lea Läsare"),
    ):
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(email, password, role, actor, name=name)
            click.echo(f"Demokonto {email} ({role}), lösenord {password}")
    db.session.commit()


@mail_cli.command("send")
def send_mail_command() -> None:
    """Send the stored e-mails not yet sent (a retry after an SMTP fault; cron-friendly)."""
    from app.core.mail import deliver_pending

    if current_app.config.get("MAIL_SUPPRESS_SEND", True):
        click.echo("Ingen SMTP-server är inställd (MAIL_SERVER); e-posten ligger kvar i utkorgen.")
        return
    sent = deliver_pending(limit=1000)
    db.session.commit()
    click.echo(f"Skickade {sent} e-postmeddelanden.")


@mail_cli.command("outbox")
@click.option("--to", "to", default=None, help="Bara e-post till den här adressen.")
@click.option("--all", "include_sent", is_flag=True, help="Även e-post som redan är skickad.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="De senaste så många meddelandena.")
def outbox_command(to: str | None, include_sent: bool, limit: int) -> None:
    """List the e-mails waiting in the outbox with their links (development: no SMTP)."""
    from app.core.mail import links_in, waiting

    messages = waiting(to=to, include_sent=include_sent, limit=limit)
    if not messages:
        click.echo("Utkorgen är tom.")
        return
    for message in messages:
        state = "skickad" if message.sent_at else "väntar"
        click.echo(f"#{message.id} {message.created_at:%Y-%m-%d %H:%M} {state} "
                   f"till {message.to}: {message.subject}")
        for link in links_in(message.body):
            click.echo(f"    {link}")


@projects_cli.command("remind")
@click.option("--days", type=click.IntRange(min=0), default=14, show_default=True,
              help="Påminn om rapporter som ska vara inne inom så många dagar.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Dagens datum, ÅÅÅÅ-MM-DD (standard: i dag).")
def remind_command(days: int, today) -> None:
    """E-mail the projects whose reports are due soon (once per report and due date). A final
    report falls due by the grant's report_due (by default the end of the year after its
    grant year): it is asked for then, whether or not a coordinator asked for it earlier."""
    from datetime import date

    from app.core.mail import deliver_pending
    from app.followup.reminders import send_reminders
    from app.followup.reports import schedule_due_final_reports

    day = today.date() if today else date.today()
    try:
        asked = schedule_due_final_reports(day, days, cli_actor())
        reminded = send_reminders(day, days_before=days)
        db.session.commit()
    except DomainError as exc:
        fail(str(exc))
    deliver_pending(limit=1000)
    db.session.commit()
    if asked:
        click.echo(f"Begärde {asked} slutrapporter som snart ska vara inne.")
    click.echo(f"Påminde om {reminded} rapporter.")


def register(app: Flask) -> None:
    app.cli.add_command(funds_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(projects_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(payments_cli)
