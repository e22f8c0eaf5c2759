"""`python -m scopix.cli`."""

from . import main

__all__: list[str] = []

main()
