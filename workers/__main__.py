"""The worker process: ``python -m workers``."""

from __future__ import annotations

import asyncio
import logging
import signal

from alur import completion, intake
from alur import settings as alur_settings
from alur.engine import connect
from alur.engine_events import Listener, Outside
from alur.gateway import Starter
from alur.usertasks import Bridge
from storage.db import make_engine, make_sessionmaker
from storage.s3 import make_client
from workers.deps import make_deps
from workers.registry import build_routers
from workers.runtime import build_worker

log = logging.getLogger("alur.workers")
#: How often the orphaned uploads of interrupted intakes are looked for.
ORPHAN_SWEEP_SECONDS = 600.0


async def run(settings: alur_settings.Settings) -> None:
    engine = make_engine(settings.database_url)
    async with connect(settings.zeebe_address) as channel:
        sessions = make_sessionmaker(engine)
        deps = make_deps(
            settings,
            sessions,
            make_client(
                settings.s3_endpoint,
                settings.s3_access_key,
                settings.s3_secret_key,
                secure=settings.s3_secure,
                region=settings.s3_region,
            ),
        )
        routers = build_routers(deps)
        worker = build_worker(channel, settings, routers)
        bridge = Bridge(
            channel,
            sessions,
            sweep_seconds=settings.usertask_sweep_seconds,
            sweep_batch=settings.usertask_sweep_batch,
        )

        # How tasks and cases really ended, from the broker exporter's records.
        listener = Listener(
            sessions,
            Outside(frozenset({bridge.name, worker.name})),
            keep_days=settings.engine_record_keep_days,
        )

        starter = Starter(settings.zeebe_address)
        publisher = completion.Publisher(settings.zeebe_address)
        stopped = asyncio.Event()

        async def stop() -> None:
            stopped.set()
            await listener.stop()
            await bridge.stop()
            await worker.stop()

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(stop()))
        types = sorted(t.type for t in worker.tasks)
        log.info("worker started for %d job types: %s", len(types), ", ".join(types) or "-")
        waiting = intake.keep_starting(sessions, starter, settings.usertask_sweep_seconds, stopped)
        orphans = intake.keep_sweeping(
            sessions, deps.s3, settings.s3_bucket_uploads, ORPHAN_SWEEP_SECONDS, stopped
        )
        # Answers to document requests the web app could not hand to Zeebe.
        answers = completion.keep_publishing(
            sessions, publisher.publish, settings.usertask_sweep_seconds, stopped
        )
        await asyncio.gather(worker.work(), bridge.run(), listener.run(), waiting, orphans, answers)
        starter.close()
        publisher.close()
    engine.dispose()


def main() -> None:
    settings = alur_settings.load()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(run(settings))


if __name__ == "__main__":
    main()
