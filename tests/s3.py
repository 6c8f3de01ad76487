"""A real S3-compatible server for tests: moto's standalone server on a free local port,
speaking the S3 HTTP API to django-storages and boto3 as an object store would."""

import boto3
import pytest
from moto.server import ThreadedMotoServer

BUCKET = "pressroom-media"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="session")
def s3_endpoint():
    """The server's address, with the empty bucket BUCKET created."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def s3_client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS)


def s3_environment(endpoint: str, prefix: str) -> dict[str, str]:
    """The PRESSROOM_MEDIA_S3_* settings of a site whose media are in BUCKET."""
    return {
        "PRESSROOM_MEDIA_S3_BUCKET": BUCKET,
        "PRESSROOM_MEDIA_S3_ENDPOINT_URL": endpoint,
        "PRESSROOM_MEDIA_S3_REGION": "us-east-1",
        "PRESSROOM_MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "PRESSROOM_MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        "PRESSROOM_MEDIA_S3_PREFIX": prefix,
    }
