"""union-reports: figures from Chinese trade-union work reports, with their evidence.

The main functions are available here and imported on first use, so ``python -m analysis
quantities`` does not pay for pandas, DuckDB or papermill:

>>> import analysis
>>> [(q.value, q.unit, q.bound) for q in analysis.parse_quantities("覆盖职工4.6万余人")]
[(46000.0, '人', 'lower')]
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "clean": "text",
    "read_corpus": "corpus",
    "iter_corpus": "corpus",
    "read_document": "corpus",
    "parse_quantities": "quantities",
    "read_quantities": "quantities",
    "extract_facts": "facts",
    "load_indicators": "indicators",
    "run_extraction": "pipeline",
    "Store": "store",
    "evaluate": "evaluate",
    "build": "build",
    "AnalysisError": "errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
