"""`python -m backcheck.cli`: the `backcheck` command."""

from backcheck.cli import main

raise SystemExit(main())
