"""Security helpers the settings refer to by name."""


def client_ip_behind_proxy(request) -> str | None:
    """The client's address for the login lockout when a TLS proxy is in front.

    The proxy appends the address it received the request from to X-Forwarded-For, so the
    last entry is the one a client cannot forge; earlier entries are whatever it sent.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    return addresses[-1] if addresses else request.META.get("REMOTE_ADDR")
