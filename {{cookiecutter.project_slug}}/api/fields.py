"""Field types the resources' schemas share."""

from typing import Annotated

from pydantic import AfterValidator


def _storable(text: str) -> str:
    """Refuse, as invalid input rather than a server error, a NUL character (which
    PostgreSQL cannot store) and a lone surrogate (which has no UTF-8)."""
    if "\x00" in text:
        raise ValueError("must not contain NUL characters")
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:
            raise ValueError("must not contain lone surrogates") from None
    return text


# Text any database can store: use it for every string a client may write.
StorableText = Annotated[str, AfterValidator(_storable)]
