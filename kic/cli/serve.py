"""``kic serve``: run the web application with waitress."""

from __future__ import annotations

import click

from kic.cli.base import KicCommand
from kic.cli.common import database_option


@click.command(name="serve", cls=KicCommand)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adres om op te luisteren; 0.0.0.0 voor alle netwerkkaarten (zet er dan HTTPS voor).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Poort.")
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Aantal gelijktijdige verzoeken.",
)
@database_option
def serve(host: str, port: int, threads: int, database_url: str | None) -> None:
    """Start de webapplicatie (stoppen met Ctrl+C)."""
    from waitress import serve as waitress_serve

    from kic.web import create_app

    config = {"DATABASE_URL": database_url} if database_url else {}
    app = create_app(config)  # DatabaseNotReady, or the OIDC settings (KIC_WEB_OIDC) with every problem
    click.echo(f"kic draait op http://{host}:{port}/ (stoppen met Ctrl+C)")
    waitress_serve(app, host=host, port=port, threads=threads, ident="kic")
