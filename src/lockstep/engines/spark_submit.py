"""Entry point for ``spark-submit``: the lockstep command line inside a Spark driver.

``spark-submit --master yarn --deploy-mode client "$(lockstep spark-entrypoint)" scan 's3a://b/posts/'
--engine spark --out results`` runs ``lockstep scan`` with the master and settings spark-submit
gives (``--spark-master`` left unset). ``lockstep spark-entrypoint`` prints this file's path.
"""

from __future__ import annotations

if __name__ == "__main__":  # pragma: no cover - run by spark-submit
    from lockstep.cli import main

    main()
