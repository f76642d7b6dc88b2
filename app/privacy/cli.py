"""`flask privacy purge`: clear personal data past its retention (registered by app/cli.py).

A dry run by default: it lists what would be cleared and changes nothing; `--apply` clears it,
audits each record and commits once, then deletes the attachments' files."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.audit import Actor
from app.extensions import db

privacy_cli = AppGroup("privacy", help="Personuppgifter: gallring efter bevarandetiden.")

ENTITY_NAMES = {"application": "Ansökan", "grant": "Projekt"}


@privacy_cli.command("purge")
@click.option("--apply", "apply_", is_flag=True,
              help="Gallra på riktigt (annars visas bara vad som skulle gallras).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Dagens datum, ÅÅÅÅ-MM-DD (standard: i dag).")
def purge_command(apply_: bool, today) -> None:
    """Clear contact details and personal free text of records past their retention."""
    from datetime import date

    from app.privacy.purge import apply_purge, plan_purge
    from app.privacy.rules import RetentionPolicy

    policy = RetentionPolicy.from_settings(current_app.config)
    plan = plan_purge(today.date() if today else date.today(), policy)
    click.echo(f"Bevarandetid: avslutade projekt {policy.closed_project_years} år, avslagna "
               f"ansökningar {policy.rejected_application_years} år, skickad e-post "
               f"{policy.email_years} år, räknat från årets slut.")
    if plan.is_empty:
        click.echo("Inget att gallra.")
        return
    verb = "Gallrar" if apply_ else "Skulle gallra"
    for item in plan.items:
        click.echo(f"  {ENTITY_NAMES[item.entity]} {item.id} \"{item.title}\" ({item.reason}): "
                   + ", ".join(item.clears))
    applications = sum(1 for i in plan.items if i.entity == "application")
    click.echo(f"{verb}: {applications} ansökningar, {len(plan.items) - applications} projekt, "
               f"{plan.attachment_count} bilagor, {len(plan.email_ids)} e-postmeddelanden.")
    if not apply_:
        click.echo("Inget är ändrat. Kör med --apply för att gallra.")
        return
    files = apply_purge(plan, Actor.command_line())
    db.session.commit()
    for path in files:
        path.unlink(missing_ok=True)
    click.echo("Klart.")
