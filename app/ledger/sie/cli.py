"""`flask payments sie`: the attested payments of a period as a SIE 4 file (registered by
app/cli.py). Each command commits once."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db

payments_cli = AppGroup("payments", help="Utbetalningar till regionens ekonomisystem (SIE 4).")

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Fel: {message}", err=True)
    sys.exit(1)


@payments_cli.command("sie")
@click.option("--year", type=int, help="Räkenskapsåret som exporteras.")
@click.option("--from", "start", type=DATE, default=None, help="Från och med, ÅÅÅÅ-MM-DD.")
@click.option("--to", "end", type=DATE, default=None, help="Till och med, ÅÅÅÅ-MM-DD.")
@click.option("--again", "again", type=int, default=None,
              help="Skapa en tidigare export igen, exakt som den var (exportens nummer).")
@click.option("--include-exported", is_flag=True,
              help="Ta med utbetalningar som redan har exporterats.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def sie_command(year: int | None, start: datetime | None, end: datetime | None,
                again: int | None, include_exported: bool, output: Path) -> None:
    """Write the attested payments and refunds of a period as a SIE 4 file (code page 437)."""
    from app.ledger.sie.exports import create_export, file_name, recreate_export

    actor = Actor.command_line()
    try:
        if again is not None:
            if year is not None or start or end or include_exported:
                _fail("--again återskapar en export som den var: ange inget år eller period")
            export, content = recreate_export(again, actor)
            summary = f"SIE-export {export.id} skapad igen ({export.payment_count} verifikationer)"
        else:
            if year is None:
                _fail("ange året med --year (eller en tidigare export med --again)")
            result = create_export(year, actor, start=start.date() if start else None,
                                   end=end.date() if end else None,
                                   include_exported=include_exported)
            export, content = result.export, result.content
            summary = (f"SIE-export {export.id}: {export.payment_count} verifikationer "
                       f"{export.date_from}–{export.date_to}")
            if result.left_out:
                summary += (f"; {result.left_out} redan exporterade utbetalningar togs inte med "
                            "(--include-exported tar med dem)")
    except DomainError as exc:
        _fail(exc.message)
    # Recorded first: a file that reached the accounting system is never left unrecorded.
    db.session.commit()
    try:
        output.write_bytes(content)
    except OSError as exc:
        _fail(f"kan inte skriva {output}: {exc.strerror or exc}; exporten {export.id} är "
              f"sparad, skriv filen med --again {export.id}")
    click.echo(f"Skrev {output} ({file_name(export)}). {summary}.")
