"""Helpers for the GAN Workshop notebooks.

Import this package before TensorFlow: it imports TensorFlow without the
CPU start-up log lines that would otherwise clutter every notebook.
Modules follow the order of the workshop story: `data`, `models`, `losses`,
`training`, `metrics`, `plotting`, `widgets`.
"""

from gan_helpers.config import import_tensorflow_quietly, pick, quick_mode

import_tensorflow_quietly()

__version__ = "0.1.0"
__all__ = ["import_tensorflow_quietly", "pick", "quick_mode", "__version__"]
