"""backcheck: why does my upper back hurt after working out? Find the causes and fix them."""

__version__ = "0.1.0"
