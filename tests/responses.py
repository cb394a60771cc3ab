"""What a test client's response carries, whether it streamed or not.

Small ranges (up to 64 KiB) are answered whole from memory, larger ones stream: a test
reads the bytes a listener gets the same way for both.
"""


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
