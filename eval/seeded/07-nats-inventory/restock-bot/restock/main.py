import asyncio
import logging
import os
import signal

import nats

from restock.handlers import on_stock_depleted, on_stock_low

NATS_URL = os.environ.get("NATS_URL", "nats://nats:4222")


async def run() -> None:
    nc = await nats.connect(NATS_URL, name="restock-bot", max_reconnect_attempts=-1)

    await nc.subscribe("inventory.stock.low", queue="restock-bot", cb=on_stock_low)
    await nc.subscribe("inventory.stock.depleted", queue="restock-bot", cb=on_stock_depleted)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await nc.drain()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run())
