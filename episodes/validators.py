"""Validators of model fields: each says what is wrong in words an editor can act on."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from podcast.env import is_time_zone

from .artwork import artwork_problems
from .categories import parse_category
from .languages import language_problem

http_url = URLValidator(schemes=["http", "https"], message="Enter an http:// or https:// URL.")


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
