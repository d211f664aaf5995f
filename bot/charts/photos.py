"""Photos of reactions for the clinician's summary: decoded safely and made small, then drawn
beside the words of their report."""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

MAX_PIXELS = 40_000_000  # a phone photo is ~12 MP; anything far bigger is not a photo to decode
THUMBNAIL = 360  # pixels on the longer side: plenty for a quarter of an A4 column
PER_ROW = 3


def thumbnail(data: bytes) -> Any | None:
    """The photo as an RGB array at most THUMBNAIL pixels wide; None for anything that is not a
    readable picture (it is then left out, its words still printed)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    return None
                image.draft("RGB", (THUMBNAIL, THUMBNAIL))  # JPEG: decode at a fraction of the size
                small = image.convert("RGB")
                small.thumbnail((THUMBNAIL, THUMBNAIL))
                return np.asarray(small)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None


def draw_photos(figure: Figure, y: float, heading: str, photos: Sequence[tuple[str, bytes]]) -> float:
    """A row of up to three photos, each with its report's words beside it, from `y` down.
    Returns where the next section starts (`y` itself when there is nothing to draw)."""
    shown = [(words, picture) for words, data in photos[:PER_ROW] if (picture := thumbnail(data)) is not None]
    if not shown:
        return y
    figure.text(0.06, y, heading, fontsize=10, weight="bold", va="top")
    top, height = y - 0.02, 0.075
    for index, (words, picture) in enumerate(shown):
        x = 0.07 + index * 0.3
        axes = figure.add_axes((x, top - height, 0.12, height))
        axes.imshow(picture)
        axes.set_anchor("NW")  # level with its words, not centred in its box
        axes.set_axis_off()
        for line, part in enumerate(textwrap.wrap(words, 26)[:7]):
            figure.text(x + 0.125, top - line * 0.0135, part, fontsize=6.5, va="top")
    return top - height - 0.02
