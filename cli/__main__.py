"""``python -m cli``: the ``researchdesk`` command line without its console script."""

import sys

from cli.app import app

sys.exit(app())
