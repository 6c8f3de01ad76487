"""Container health check: `python scripts/healthcheck.py /readyz` exits 0 when the web
process in this container answers the path with 200, 1 otherwise.

It asks as the site's own host name (the first of DJANGO_ALLOWED_HOSTS): Django refuses
any other Host header with 400, so a probe of plain `127.0.0.1` would always fail.
"""

import http.client
import os
import sys

PORT = 8000
TIMEOUT_SECONDS = 8  # below the compose healthcheck's timeout, so this reports first


def main(path: str, port: int = PORT) -> int:
    host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    # A wildcard entry (".example.kz", "*") is not a host name; any name it covers will do.
    host = "localhost" if host in {"", "*"} else host.removeprefix(".")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        body = response.read(2000).decode(errors="replace")
    except OSError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if response.status != 200:
        print(f"{path}: {response.status} {body}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/healthz"))
