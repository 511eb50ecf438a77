"""Notebook display helpers: show package code where the story explains it."""

from __future__ import annotations

import inspect


def show_source(function) -> None:
    """Display the source code of a package function with syntax highlighting.

    The notebooks explain each helper before using it. Showing the package's
    own source, instead of a copy, keeps the explanation and the code that
    runs identical.
    """
    from IPython.display import Code, display

    display(Code(inspect.getsource(function), language="python"))


def describe_layers(model) -> None:
    """Print one line per layer: name, layer type, output shape and parameter count.

    A compact, version-stable alternative to `model.summary()`.
    """
    print(f"{'layer':<14}{'type':<20}{'output shape':<20}{'parameters':>10}")
    for layer in model.layers:
        shape = str(tuple(layer.output.shape)).replace("None", "batch")
        print(f"{layer.name:<14}{type(layer).__name__:<20}{shape:<20}{layer.count_params():>10,}")
    print(f"{'total':<54}{model.count_params():>10,}")
