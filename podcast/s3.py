"""Object-storage settings: django-storages S3 options from the AWS_* variables boto3 users know.

Read by podcast/settings.py when PODCAST_STORAGE=s3; a malformed value stops start-up
with the variable's name and what was expected.
"""

import re

from django.core.exceptions import ImproperlyConfigured

from podcast.env import env_bool, env_str, env_url


def s3_bucket() -> str:
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME: must be set when PODCAST_STORAGE=s3")
    if not re.fullmatch(r"[\w.-]+", bucket):
        raise ImproperlyConfigured(
            f"AWS_STORAGE_BUCKET_NAME={bucket!r}: expected a bucket name such as podcast-media, "
            "not a URL or a path"
        )
    return bucket


def s3_credentials() -> tuple[str, str]:
    """The key pair, or two empty strings to leave it to boto3 (an instance role, say)."""
    access_key, secret_key = env_str("AWS_ACCESS_KEY_ID"), env_str("AWS_SECRET_ACCESS_KEY")
    if access_key and not secret_key:
        raise ImproperlyConfigured("AWS_ACCESS_KEY_ID: set without AWS_SECRET_ACCESS_KEY; set both")
    if secret_key and not access_key:
        raise ImproperlyConfigured("AWS_SECRET_ACCESS_KEY: set without AWS_ACCESS_KEY_ID; set both")
    return access_key, secret_key


def s3_custom_domain() -> str:
    domain = env_str("AWS_S3_CUSTOM_DOMAIN")
    if "/" in domain:  # django-storages puts https:// in front itself
        raise ImproperlyConfigured(
            f"AWS_S3_CUSTOM_DOMAIN={domain!r}: expected a host name such as cdn.example.com, "
            "without https:// or a path"
        )
    return domain


def s3_options() -> dict:
    """django-storages S3Storage options, from the variables boto3 users know."""
    access_key, secret_key = s3_credentials()
    return {
        "bucket_name": s3_bucket(),
        "endpoint_url": env_url("AWS_S3_ENDPOINT_URL", "", schemes=("http", "https")) or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "custom_domain": s3_custom_domain() or None,
        "location": env_str("AWS_LOCATION"),
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
        # Like FileSystemStorage: a name already taken gets a new one, never overwritten.
        "file_overwrite": False,
    }


def storage_origins(options: dict) -> list[str]:
    """Where the browser fetches media from when downloads redirect to object storage."""
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    endpoint = options.get("endpoint_url")
    if endpoint:
        scheme, _, rest = endpoint.partition("://")
        host = rest.split("/")[0]
        # boto3 may put the bucket in the host name (virtual-hosted style).
        named = any(ch.isalpha() for ch in host.split(":")[0]) and not host.startswith("[")
        return [f"{scheme}://{host}"] + ([f"{scheme}://*.{host}"] if named else [])
    return ["https://*.amazonaws.com"]
