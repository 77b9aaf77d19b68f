"""Shared fixtures: the seed documents and gold annotations kept in tests/data, and corpora of
awkward files built on the fly (no binary file is committed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
GOLD = DATA / "gold"


def analysis_cmd(*args) -> list[str]:
    """The command line of ``python -m analysis ARGS`` in this interpreter."""
    import sys

    return [sys.executable, "-m", "analysis", *(str(a) for a in args)]


def load_jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus():
    from analysis.corpus import read_corpus

    return read_corpus(SEEDS)


@pytest.fixture(scope="session")
def seed_docs(seed_corpus) -> dict:
    return {d.id[:3]: d for d in seed_corpus.documents}


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of the seeds."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


GBK_TEXT = (
    "靖西市总工会签订工资专项集体合同63份,覆盖职工13895人。今年新建基层工会12家,发展会员300多人。"
)
BIG5_TEXT = "景洪市總工會指導企業簽訂集體合同441份，覆蓋職工4.6萬餘人，新建基層工會88家。"
HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>安康市总工会2024年上半年工作综述</title>
<script>window.stolen = document.cookie;</script><style>p { color: red }</style></head>
<body><div class="nav">首页 | 新闻 | 联系我们</div>
<article><h1>安康市总工会2024年上半年工作综述</h1>
<p>今年以来,安康市新发展货车司机会员243人,累计建成新就业形态工会组织57个,吸纳工会会员5697人。</p>
<script>document.write("注入的脚本");</script>
<p>全市139个乡镇(街道)和1673个村(社区)均建立工会组织,工会组织覆盖面不断扩大。</p></article>
</body></html>"""


def write_mixed_corpus(root: Path) -> Path:
    """GBK, Big5 and HTML documents beside an empty file and a binary file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "gbk.txt").write_bytes(GBK_TEXT.encode("gbk"))
    (root / "big5.txt").write_bytes(BIG5_TEXT.encode("big5"))
    (root / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return root


@pytest.fixture
def mixed_corpus(tmp_path) -> Path:
    return write_mixed_corpus(tmp_path / "mixed")


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """A fact database of the test seeds (built once per test session)."""
    from analysis.pipeline import run_extraction

    path = tmp_path_factory.mktemp("seed-db") / "facts.duckdb"
    run_extraction(SEEDS, path, progress=False)
    return path


@pytest.fixture(scope="session")
def multiyear_db(tmp_path_factory) -> Path:
    """A fact database of the written multi-year corpus (tests/data/multiyear)."""
    from analysis.pipeline import run_extraction

    path = tmp_path_factory.mktemp("multiyear-db") / "facts.duckdb"
    run_extraction(DATA / "multiyear", path, progress=False)
    return path


HOSTILE_TEXT = (
    "安康市总工会<script>window.__pwned = 3</script>2024年工作综述\n\n2024-06-21 来源:测试网\n\n"
    "<script>window.__pwned = 1</script>今年以来,全市新建工会组织57个,"
    '吸纳工会会员5697人<img src=x onerror="window.__pwned = 2">。\n'
)


BAD_MAX_BYTES = 200_000
HOSTILE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>旬阳市总工会工作动态</title>
<script>window.__pwned = "head";</script></head><body>
<h1>旬阳市总工会工作动态</h1>
<p>今年以来,旬阳市新建工会组织12个,&lt;script&gt;window.__pwned = 1&lt;/script&gt;吸纳工会会员860人,
页面代码 &lt;img src=x onerror="window.__pwned = 2"&gt; 原样保留。</p>
<p>全市139个乡镇均建立工会组织,工会工作覆盖面不断扩大,职工群众获得感明显增强。</p>
<img src="x" onerror="window.__pwned = 3"><script>document.title = "pwned";</script>
</body></html>"""


def write_bad_corpus(root: Path) -> dict[str, str]:
    """The awkward files a scraped corpus holds (made here: nothing binary is committed).

    Returns each file name with what must become of it: "document", "duplicate", "warning"
    (read with a repair) or "skipped" (with ``BAD_MAX_BYTES`` as the size limit).
    """
    import codecs

    root.mkdir(parents=True, exist_ok=True)
    files = {
        "gb18030.txt": (seed_text("002").encode("gb18030"), "document"),
        "gbk.txt": (GBK_TEXT.encode("gbk"), "document"),
        "big5.txt": (BIG5_TEXT.encode("big5"), "document"),
        "utf16-bom.txt": (seed_text("003").encode("utf-16"), "document"),
        "utf8-bom.txt": (codecs.BOM_UTF8 + seed_text("004").encode("utf-8"), "document"),
        "crlf.txt": (seed_text("001").replace("\n", "\r\n").encode("utf-8"), "document"),
        "000.txt": (seed_text("000").encode("utf-8"), "document"),
        "工会 报告 副本.txt": (seed_text("000").encode("utf-8"), "duplicate"),
        "page.html": (HOSTILE_PAGE.encode("utf-8"), "document"),
        "truncated.txt": (("安康市总工会" + GBK_TEXT).encode("utf-8")[:-1], "warning"),
        "empty.txt": (b"", "skipped"),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "skipped"),
        "huge.txt": (("新建基层工会88家。" * 20_000).encode("utf-8"), "skipped"),
    }
    for name, (data, _) in files.items():
        (root / name).write_bytes(data)
    return {name: fate for name, (_, fate) in files.items()}


@pytest.fixture
def bad_corpus(tmp_path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "bad corpus 语料"
    return root, write_bad_corpus(root)
