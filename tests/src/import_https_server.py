#!/usr/bin/env python3
"""tests/src/import_https_server.py: the HTTPS server of
tests/src/import-https.sh, one behaviour per path:

  /eap.sswan     the test file, at once
  /drip.sswan    the same, a few bytes every 0.4 s (about 3 s in all)
  /big           2 MiB (larger than ikeroam's limit)
  /slow          headers only after 30 s
  /redir         302 to http:// (must be refused)
  /loop          302 to itself (too many redirects)
  anything else  404

Usage: import_https_server.py ADDR PORT CERT KEY DATA_DIR
"""
import http.server
import os
import ssl
import sys
import time

addr, port, cert, key, data = sys.argv[1], int(sys.argv[2]), *sys.argv[3:6]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def send_body(self, body, drip=False):
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.strongswan.profile")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not drip:
            self.wfile.write(body)
            return
        step = max(1, len(body) // 8)
        for i in range(0, len(body), step):
            self.wfile.write(body[i:i + step])
            self.wfile.flush()
            time.sleep(0.4)

    def do_GET(self):
        if self.path in ("/eap.sswan", "/drip.sswan"):
            body = open(os.path.join(data, "eap.sswan"), "rb").read()
            self.send_body(body, drip=self.path == "/drip.sswan")
        elif self.path == "/big":
            self.send_body(b"{" + b" " * (2 << 20) + b"}")
        elif self.path == "/slow":
            time.sleep(30)
            self.send_body(b"{}")
        elif self.path in ("/redir", "/loop"):
            self.send_response(302)
            self.send_header("Location", "http://%s:%d/eap.sswan" %
                             (addr, port) if self.path == "/redir" else
                             "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv = http.server.ThreadingHTTPServer((addr, port), Handler)
srv.daemon_threads = True
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
