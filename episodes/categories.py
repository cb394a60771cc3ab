"""Apple Podcasts categories: the only values directories accept (case-sensitive)."""

APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}


def parse_category(value: str) -> tuple[str, str]:
    """Split "Education > How To" into ("Education", "How To"); raise ValueError if Apple lacks it."""
    top, _, sub = (part.strip() for part in value.partition(">"))
    if top not in APPLE_CATEGORIES:
        raise ValueError(f"{top!r} is not an Apple Podcasts category")
    if sub and sub not in APPLE_CATEGORIES[top]:
        raise ValueError(f"{sub!r} is not a subcategory of {top!r} in Apple Podcasts")
    return top, sub


# The pre-2019 names older feeds still carry, mapped to the category Apple has now
# (../shared/data/apple/apple-categories.md). A show imported with one gets the new name.
OLD_NAMES: dict[str, str] = {
    "Games & Hobbies": "Leisure",
    "Games & Hobbies > Video Games": "Leisure > Video Games",
    "Games & Hobbies > Automotive": "Leisure > Automotive",
    "Games & Hobbies > Aviation": "Leisure > Aviation",
    "Games & Hobbies > Hobbies": "Leisure > Hobbies",
    "Games & Hobbies > Other Games": "Leisure > Games",
    "News & Politics": "News",
    "Science & Medicine": "Science",
    "Science & Medicine > Medicine": "Health & Fitness > Medicine",
    "Science & Medicine > Natural Sciences": "Science > Natural Sciences",
    "Science & Medicine > Social Sciences": "Science > Social Sciences",
    "Health": "Health & Fitness",
    "Health > Fitness & Nutrition": "Health & Fitness > Nutrition",
    "Health > Alternative Health": "Health & Fitness > Alternative Health",
    "Health > Sexuality": "Health & Fitness > Sexuality",
    "Technology > Podcasting": "Technology",
    "Technology > Tech News": "News > Tech News",
    "Technology > Gadgets": "Technology",
    "Technology > Software How-To": "Technology",
    "Education > Educational Technology": "Education",
    "Education > Higher Education": "Education > Courses",
    "Education > K-12": "Education",
    "Education > Training": "Education > How To",
    "Education > Language Courses": "Education > Language Learning",
    "Government & Organizations": "Government",
    "Society & Culture > History": "History",
    "Arts > Literature": "Arts > Books",
    "Arts > Food": "Arts > Food",
    "Business > Business News": "News > Business News",
    "Business > Shopping": "Business",
    "Business > Management & Marketing": "Business > Management",
    "Sports & Recreation": "Sports",
    "Sports & Recreation > Amateur": "Sports",
    "Sports & Recreation > Outdoor": "Sports > Wilderness",
    "Sports & Recreation > Professional": "Sports",
    "TV & Film": "TV & Film",
    "Religion & Spirituality > Other": "Religion & Spirituality",
}


def current_name(value: str) -> str:
    """The category Apple has now for `value`, which may be a pre-2019 name ("" if none)."""
    key = " > ".join(part.strip() for part in value.split(">"))
    key = OLD_NAMES.get(key, key)
    try:
        top, sub = parse_category(key)
    except ValueError:
        return ""
    return f"{top} > {sub}" if sub else top


def category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Apple's two levels as grouped choices: each category, then its subcategories."""
    return [
        (top, [(top, top), *((f"{top} > {sub}", f"{top} › {sub}") for sub in subs)])
        for top, subs in APPLE_CATEGORIES.items()
    ]
