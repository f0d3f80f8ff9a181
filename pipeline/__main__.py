"""`python -m pipeline run IN OUT` is the same as `newsfacts run IN OUT`."""

from pipeline.cli import main

raise SystemExit(main())
