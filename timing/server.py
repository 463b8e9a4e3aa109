"""Daphne, run inside a Python process of ours: what `manage.py serve` and the browser tests use.

Running the server in-process lets a writer in the same process (the demo's replay, the Lynx
listener, a test) reach its sockets through the process's hub without any shared layer.

It also lets us cap request bodies where they are read. Twisted buffers a whole body (in memory
under 100 kB, else in a temporary file) before Daphne sees the request, and Daphne then queues it
all, chunk by chunk, for the application at once: a 1 GB POST became 1 GB of resident memory
before Django could refuse it. So the cap sits in Twisted's request object, which sees the
Content-Length as soon as the headers are in and every chunk of a chunked body as it arrives.
"""
import json
import threading
from pprint import pformat

import autobahn.websocket.protocol
import daphne.server
import daphne.ws_protocol
import txaio
from daphne.endpoints import build_endpoint_description_strings
from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.server import Server

#: Bytes a request body may hold. A write is a few dozen bytes, a form a few hundred, a start
#: list a few kilobytes; nginx refuses the same (client_max_body_size 1m, docs/deploy.md).
MAX_BODY = 1024 * 1024


def _too_large():
    body = json.dumps({"error": f"The request body is larger than {MAX_BODY // 1024} KiB.", "field": "body"}).encode()
    return (b"HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


class CappedRequest(WebRequest):
    """Daphne's request, answering 413 and hanging up once a body passes MAX_BODY: by the declared
    Content-Length before a byte of it is read, or by the bytes counted so far of a chunked one."""

    refused = False
    received = 0

    def gotLength(self, length):
        super().gotLength(0 if length is not None and length > MAX_BODY else length)
        if length is not None and length > MAX_BODY:
            self._refuse()

    def handleContentChunk(self, data):
        if self.refused:
            return  # the rest of what was already in the socket buffer: dropped
        self.received += len(data)
        if self.received > MAX_BODY:
            self._refuse()
            return
        super().handleContentChunk(data)

    def process(self):
        if self.refused:
            return None
        return super().process()

    def _refuse(self):
        self.refused = True
        transport = self.channel.transport
        transport.write(_too_large())
        transport.loseConnection()  # also stops reading: nothing more of the body is buffered


class CappedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr):
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = CappedRequest
        return protocol


# Daphne's Server.run() builds its factory from this module global and offers no other hook.
daphne.server.HTTPFactory = CappedHTTPFactory


class ReceiveCappedWebSocketProtocol(daphne.ws_protocol.WebSocketProtocol):
    """autobahn holds one limit for both directions: the 64 KiB cap on what a client may send
    (spectators send nothing; any frame closes their socket) also refused what the server sends,
    and a whole competition's schedule with its classifications outgrows 64 KiB. The cap stays on
    receiving; what this server sends is its own, already bounded, snapshot."""

    def sendMessage(self, payload, *args, **kwargs):
        limit, self.maxMessagePayloadSize = self.maxMessagePayloadSize, 0
        try:
            return super().sendMessage(payload, *args, **kwargs)
        finally:
            self.maxMessagePayloadSize = limit


daphne.ws_protocol.WebSocketFactory.protocol = ReceiveCappedWebSocketProtocol


def _pformat_if_logged(obj, *args, **kwargs):
    """autobahn pretty-prints each new socket's whole configuration (about 30 settings) for a
    debug line, before the logger decides to drop it: 15 % of the server's time in a reconnect
    storm (bench/results.md). The text is made only when autobahn's debug logging is on."""
    if txaio.get_global_log_level() in ("debug", "trace"):
        return pformat(obj, *args, **kwargs)
    return "(not formatted: autobahn's debug logging is off)"


autobahn.websocket.protocol.pformat = _pformat_if_logged


def build(host="127.0.0.1", port=8000, signal_handlers=True, ready=None, proxy_headers=False, backlog=None):
    """A Daphne server for config.asgi. proxy_headers: take the client's address and scheme from
    X-Forwarded-For/-Proto, as `daphne --proxy-headers` does (only behind nginx, which must
    overwrite X-Forwarded-For: Daphne trusts its leftmost address)."""
    from config.asgi import application

    endpoints = build_endpoint_description_strings(host=host, port=port)
    if backlog:
        endpoints = [f"{e}:backlog={backlog}" for e in endpoints]
    forwarded = {}
    if proxy_headers:
        forwarded = {"proxy_forwarded_address_header": "X-Forwarded-For",
                     "proxy_forwarded_port_header": "X-Forwarded-Port",
                     "proxy_forwarded_proto_header": "X-Forwarded-Proto"}
    return Server(
        application=application,
        endpoints=endpoints,
        signal_handlers=signal_handlers,
        ping_interval=20,
        ping_timeout=30,
        websocket_max_message_size=64 * 1024,
        websocket_max_frame_size=64 * 1024,
        # From a socket's upgrade request (the client has sent it whole) to its acceptance, which
        # is this server's own work: Daphne's 5 s dropped hundreds of sockets a reconnect storm had
        # already half served (bench/results.md). 20 s is Daphne's limit for the application's
        # accept; a client that never sends its request is bounded by the HTTP timeout instead.
        websocket_handshake_timeout=20,
        ready_callable=ready,
        verbosity=0,
        **forwarded,
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
