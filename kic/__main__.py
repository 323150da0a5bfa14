"""``python -m kic`` runs the same command as ``kic``."""

from kic.cli import main

main()
