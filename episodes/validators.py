"""Validators of model fields: each says what is wrong in words an editor can act on."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from podcast.env import is_time_zone

from .artwork import artwork_problems
from .categories import parse_category
from .feeds.namespace import (
    geo_problem,
    lnaddress_problem,
    node_address_problem,
    osm_problem,
    rrule_problem,
)
from .languages import language_problem

http_url = URLValidator(schemes=["http", "https"], message="Enter an http:// or https:// URL.")
# The podcast namespace asks for https wherever it names a web resource. A code of its
# own: the form would put its generic "Enter a valid URL." over the "invalid" code's message.
https_url = URLValidator(
    schemes=["https"],
    message="Enter an https:// URL: the podcast namespace asks for https.",
    code="not_https",
)


def validate_categories(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError('Categories are a list such as ["Technology", "Education > How To"].')
    for item in value:
        try:
            parse_category(item)
        except ValueError as error:
            raise ValidationError(str(error)) from None


def validate_artwork(image) -> None:
    problems = artwork_problems(image)
    image.seek(0)
    if problems:
        raise ValidationError("This image cannot be podcast artwork: " + "; ".join(problems) + ".")


def validate_language(value: str) -> None:
    if problem := language_problem(value):
        raise ValidationError(f"{problem}: podcast directories refuse the feed otherwise.")


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError(
            f"{value!r} is not a time zone name such as Europe/Berlin or America/New_York."
        )


def validate_source_url_template(value: str) -> None:
    try:
        filled = value.format(number=1, slug="an-episode")
    except (KeyError, IndexError, ValueError) as error:
        raise ValidationError(
            f"The template cannot be filled in ({error}): use {{number}} and {{slug}} only."
        ) from None
    http_url(filled)


def raise_problem(message: str) -> None:
    if message:
        raise ValidationError(message)


# Plain module functions, not made by a factory: migrations name validators by import path.
def validate_geo(value: str) -> None:
    raise_problem(geo_problem(value))


def validate_osm(value: str) -> None:
    raise_problem(osm_problem(value))


def validate_rrule(value: str) -> None:
    raise_problem(rrule_problem(value))


def value_address_problem(kind: str, address: str) -> str:
    """Why a podcast:valueRecipient address does not fit its type, or ""."""
    if not address.strip():
        return "The address is required: payments have nowhere to go without it."
    return lnaddress_problem(address) if kind == "lnaddress" else node_address_problem(address)
