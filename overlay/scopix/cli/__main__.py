"""`python -m scopix.cli`."""

from . import main

main()
