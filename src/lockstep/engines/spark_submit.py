"""Entry point for ``spark-submit``: the lockstep command line inside a Spark driver.

``spark-submit --master yarn "$(python -c 'import lockstep.engines.spark_submit as m; print(m.__file__)')" \\
detect --workspace ws --engine spark`` runs ``lockstep detect`` with the master and settings
spark-submit gives (``--spark-master`` left unset).
"""

from __future__ import annotations

if __name__ == "__main__":  # pragma: no cover - run by spark-submit
    from lockstep.cli import main

    main()
