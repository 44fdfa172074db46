"""`python -m signoz_dac.cli` runs the command line (used by tests and when the script is not on PATH)."""

from signoz_dac.cli.app import main

main()
