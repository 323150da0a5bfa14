"""``python -m kic`` runs the same command as ``kic``."""

from kic.cli import main

if __name__ == "__main__":
    main()
