"""union-reports: figures from Chinese trade-union work reports, with their evidence."""

__version__ = "0.1.0"
