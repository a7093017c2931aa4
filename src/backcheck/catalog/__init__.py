"""Exercise catalog: logged exercise names -> movement pattern and muscle-region weights.

    from backcheck.catalog import load_catalog, normalize
    catalog = load_catalog()                    # read and validated once, then cached
    catalog.lookup("Flat Barbell Bench Press")  # Exercise(key="bench-press-barbell", ...)
    catalog.map_names(frame["exercise"])        # {"Pull-Ups": "pull-up", "Zzz": None, ...}
    catalog.keys_for(frame["exercise"])         # String series of keys, null = unmapped

The data is `exercises.csv` beside this file (package data); its header comment states the
weight convention. Nothing is read at import time.
"""

from backcheck.catalog.loader import Catalog, Exercise, load_catalog, parse_catalog
from backcheck.catalog.names import normalize

__all__ = ["Catalog", "Exercise", "load_catalog", "normalize", "parse_catalog"]
