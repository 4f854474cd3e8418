#!/usr/bin/env python3
"""A reverse proxy on loopback that counts what clients upload to an OCI registry.

Used by build/benchmark-layers.sh: every request is forwarded unchanged to the registry behind it
(the Host header too, so the registry's Location headers point back through the proxy), and one
JSON line per request is appended to the log: method, path, request body bytes received, status.
Bytes are counted here, at the registry's door, as they arrive, not estimated by the client.

    registry-counting-proxy.py LISTEN_PORT UPSTREAM_HOST:PORT LOG_FILE
"""
import http.client
import http.server
import json
import socketserver
import sys
import threading

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailers", "transfer-encoding", "upgrade"}


class CountingProxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = ""
    log_file = ""
    lock = threading.Lock()

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        pass

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _forward(self):
        body = self._read_body()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if body or self.command in ("PUT", "PATCH", "POST"):
            headers["Content-Length"] = str(len(body))
        connection = http.client.HTTPConnection(self.upstream, timeout=600)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            self.send_response_only(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            status = response.status
        finally:
            connection.close()
        with self.lock, open(self.log_file, "a", encoding="utf-8") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "bytes": len(body),
                                  "status": status}) + "\n")

    do_GET = do_HEAD = do_PUT = do_PATCH = do_POST = do_DELETE = _forward


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    port, upstream, log_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    CountingProxy.upstream = upstream
    CountingProxy.log_file = log_file
    Server(("127.0.0.1", port), CountingProxy).serve_forever()


if __name__ == "__main__":
    main()
