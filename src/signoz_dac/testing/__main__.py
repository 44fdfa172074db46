"""`python -m signoz_dac.testing [--port N] [--key KEY[:ROLE]] ...`: the same as `signoz-dac emulator`."""

from signoz_dac.cli.emulator import main

main()
