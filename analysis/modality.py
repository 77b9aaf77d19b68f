"""Actual or target: does a sentence report a result or state a plan?

Cues are data (``data/modality.yaml``). A cue counts for a figure only when it comes before the
figure in its sentence: "确保..." at the end of a sentence of results does not turn them into goals.

>>> modality("力争受训人数超3万人", 9, "review")
'target'
>>> modality("三年来新建基层工会88家", 9, "plan")
'actual'
>>> modality("将工会工作向村(社区)延伸拓展,全市139个乡镇均建立工会组织", 19, "review")
'actual'
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from .errors import DataFileError
from .paths import data_file

ACTUAL, TARGET = "actual", "target"


@cache
def _cues() -> tuple[re.Pattern, re.Pattern]:
    path = data_file("modality.yaml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return re.compile("|".join(raw["target"])), re.compile("|".join(raw["result"]))
    except (OSError, KeyError, TypeError, re.error, yaml.YAMLError) as e:
        raise DataFileError(
            f"{path}: cannot read the modality cues ({e}); fix or restore the file"
        ) from e


def target_cue(text: str) -> re.Match | None:
    """The first plan/goal cue in ``text``, if any."""
    return _cues()[0].search(text)


def result_cue(text: str) -> re.Match | None:
    """The first achieved-result cue in ``text``, if any."""
    return _cues()[1].search(text)


def modality(sentence: str, at: int, doc_kind: str) -> str:
    """``actual`` or ``target`` for a figure at offset ``at`` of ``sentence``.

    ``doc_kind`` is the document's kind: in a ``plan`` every figure is a target unless its
    sentence reports a result; in a ``review`` or ``mixed`` document a figure is actual unless its
    sentence states a plan before it.
    """
    before = sentence[:at]
    if doc_kind == "plan":
        return ACTUAL if result_cue(before) else TARGET
    return TARGET if target_cue(before) else ACTUAL
