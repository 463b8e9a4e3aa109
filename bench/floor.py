"""The floor: the least a Python server can do to put one message on N sockets.

The plain `websockets` library: every spectator gets the snapshot text on connect; every text the
controller (path /control) sends is handed to `websockets.broadcast()` unchanged. Oval's bytes,
replayed by bench/fanout.py, so both servers send exactly the same frames to the same clients.
Run as a script: prints its port, serves until stdin closes.
"""
import asyncio
import sys

from websockets import broadcast
from websockets.asyncio.server import serve

spectators = set()
state = {"snapshot": None}


async def handler(ws):
    if ws.request.path == "/control":
        async for text in ws:
            if text.startswith('{"type":"snapshot"') and state["snapshot"] is None:
                state["snapshot"] = text  # the first one: what every spectator gets on connect
            else:
                broadcast(spectators, text)
        return
    await ws.send(state["snapshot"])
    spectators.add(ws)
    try:
        await ws.wait_closed()
    finally:
        spectators.discard(ws)


async def main():
    async with serve(handler, "127.0.0.1", 0, compression=None, ping_interval=None, max_size=None,
                     backlog=2048) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
