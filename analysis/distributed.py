"""The Dask engine: the same per-file extraction on Dask workers.

Use it when one machine is not enough: start a Dask scheduler and workers where the corpus is
(``dask scheduler`` / ``dask worker ADDRESS``) and run ``extract --engine dask --scheduler
ADDRESS``. The workers read the files themselves, so the corpus folder must be visible at the
same path on every worker (a shared or network file system), and every worker needs this
package installed. Without ``--scheduler`` a local cluster of processes is started, which gives
the same database as the default engine (a test holds them equal) but rarely runs faster than it
on one machine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from .errors import AnalysisError
from .extraction import Outcome, process_file


def dask_outcomes(
    files: list[Path],
    root: Path,
    max_bytes: int,
    keywords: bool,
    scheduler: str | None = None,
    workers: int | None = None,
) -> Iterator[Outcome]:
    """Outcomes of ``process_file`` for every file, computed on Dask, in file order."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)  # connect timeout: distributed.comm.timeouts.connect (30 s)
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        raise AnalysisError(
            f"cannot reach the Dask scheduler {scheduler!r} ({e}); check the address and that it is running"
        ) from e
    try:
        futures = client.map(
            process_file,
            [str(p) for p in files],
            root=str(root),
            max_bytes=max_bytes,
            keywords=keywords,
            pure=False,
        )
        for future in futures:  # in file order, as each is done
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
