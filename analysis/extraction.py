"""The unit of extraction work: one file in, plain data out.

:func:`process_file` reads, cleans and describes a file and extracts its facts. It returns
plain, picklable data, so it runs the same in this process, in local worker processes or on Dask
workers (``analysis.pipeline`` chooses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .corpus import WARNING, Document, DocumentError, read_document
from .facts import extract_facts
from .files import MAX_BYTES
from .lexicon import theme_counts


@dataclass
class Outcome:
    """What one file gave: a document (with its facts) or problems. Plain data, picklable."""

    path: str
    document: dict | None = None
    themes: dict[str, int] = field(default_factory=dict)
    facts: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    text_key: str | None = None  # hash of the cleaned text, to recognize duplicates


def document_row(doc: Document, keywords: list[str], n_facts: int) -> dict:
    m = doc.meta
    return {
        "doc": doc.id, "path": doc.path, "title": m.title, "title_source": m.title_source,
        "date": m.date, "source": m.source, "union_name": m.union, "region": m.region,
        "region_level": m.region_level, "prefecture": m.prefecture, "province": m.province,
        "county": m.county,
        "adcode": m.adcode, "kind": m.kind, "kind_reason": m.kind_reason,
        "period_start": m.period_start, "period_end": m.period_end,
        "period_label": m.period_label, "period_source": m.period_source,
        "encoding": doc.encoding, "sha256": doc.sha256, "chars": len(doc.text),
        "repeated_sentences": len(doc.repeats), "duplicate_of": doc.duplicate_of,
        "keywords": keywords, "facts": n_facts,
    }  # fmt: skip


def process_file(
    path: str, root: str, max_bytes: int = MAX_BYTES, keywords: bool = True
) -> Outcome:
    """Read one file, clean it, extract its facts. Never raises for a bad file: it becomes a problem."""
    rel = Path(path).relative_to(root).as_posix() if root else Path(path).name
    try:
        doc = read_document(Path(path), Path(root) if root else None, max_bytes)
        facts = [f.as_dict() for f in extract_facts(doc)]
        kws: list[str] = []
        if keywords:
            from .segment import keywords as find_keywords

            kws = find_keywords(doc.text[:4000])
    except DocumentError as e:
        return Outcome(rel, problems=[{"path": e.path, "reason": e.reason, "severity": "error"}])
    except Exception as e:  # a bug must cost one document, not the run
        what = str(e).splitlines()[0][:200] if str(e) else ""
        return Outcome(
            rel,
            problems=[
                {
                    "path": rel,
                    "reason": f"could not be processed ({type(e).__name__}: {what}); please report this file",
                    "severity": "error",
                }
            ],
        )
    return Outcome(
        rel,
        document=document_row(doc, kws, len(facts)),
        themes=theme_counts(doc.text),
        facts=facts,
        problems=[{"path": doc.path, "reason": w, "severity": WARNING} for w in doc.warnings],
        text_key=doc.text_key,
    )


def process_args(args: tuple) -> Outcome:
    """``process_file(*args)``, for pool.imap."""
    return process_file(*args)
