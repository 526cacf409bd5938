"""``python -m quotes``: the same as the ``quotes`` command."""

from .cli import main

if __name__ == "__main__":
    main()
