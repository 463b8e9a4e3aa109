"""Daphne, run inside a Python process of ours: what `manage.py serve` and the browser tests use.

Running the server in-process lets a writer in the same process (the demo's replay, the Lynx
listener, a test) reach its sockets through the process's hub without any shared layer.
"""
import threading

from daphne.endpoints import build_endpoint_description_strings
from daphne.server import Server


def build(host="127.0.0.1", port=8000, signal_handlers=True, ready=None):
    from config.asgi import application

    return Server(
        application=application,
        endpoints=build_endpoint_description_strings(host=host, port=port),
        signal_handlers=signal_handlers,
        ping_interval=20,
        ping_timeout=30,
        websocket_max_message_size=64 * 1024,
        websocket_max_frame_size=64 * 1024,
        ready_callable=ready,
        verbosity=0,
    )


def start_in_thread(host="127.0.0.1", port=0):
    """Start Daphne on a background thread; returns (server, port) once it listens."""
    listening = threading.Event()
    server = build(host, port, signal_handlers=False)
    server.listen_success_orig = server.listen_success

    def on_listen(port_obj):
        server.listen_success_orig(port_obj)
        listening.set()

    server.listen_success = on_listen
    threading.Thread(target=server.run, name="daphne", daemon=True).start()
    if not listening.wait(15):
        raise RuntimeError("Daphne did not start listening within 15 s")
    return server, server.listening_addresses[0][1]
