"""Shared pieces of the command-line scripts in `gan_helpers` and `benchmarks`."""

from __future__ import annotations

import argparse


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Append "(default: ...)" to option help, except where the default is None and the help text names the default."""

    def _get_help_string(self, action):
        if action.default is None:
            return action.help
        return super()._get_help_string(action)
