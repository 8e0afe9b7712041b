"""The attention-scaling explorer as a Jupyter widget.

>>> from attention_explorer import Explorer
>>> w = Explorer(dk=64)        # doctest: +SKIP
>>> w                          # doctest: +SKIP   (the explorer, in the notebook)
>>> w.dk = 128                 # doctest: +SKIP   (redraws; dragging the slider sets w.dk)
"""

from ._params import PARAMS, clamp
from ._result import TextNotSplitYet
from .widget import Explorer, ParamNotice

__all__ = ["PARAMS", "Explorer", "ParamNotice", "TextNotSplitYet", "clamp"]
__version__ = "0.1.0"
