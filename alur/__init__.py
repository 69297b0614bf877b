"""Alur's shared core: settings, the Zeebe connection and deploys."""
