"""The ``researchdesk`` command line (``cli.app``); nothing in the library imports it."""
