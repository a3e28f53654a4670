"""edge/charset.py: a body in a charset Python cannot decode as text is a 400 and a log
line, never a 500 and a Sentry event; text charsets are read."""

import pytest

from tests.routes import urlpatterns  # noqa: F401 (served_client serves this module's routes)


def sent_in(served_client, content_type):
    """A GET of /query/?q=x through core.wsgi, with this Content-Type header."""
    environ = served_client.factory.get("/query/", {"q": "x"}).environ
    environ["CONTENT_TYPE"] = content_type
    return served_client.serve(environ)


UNDECODABLE_CHARSETS = ["hex", "base64", "rot13", "zlib", "undefined", "idna", "no-such-charset"]


@pytest.mark.django_db
@pytest.mark.parametrize("charset", UNDECODABLE_CHARSETS)
def test_a_request_in_a_charset_django_cannot_decode_is_a_400_a_log_line_and_no_event(
    start_sentry, served_client, caplog, charset
):
    transport = start_sentry()

    status, _ = sent_in(served_client, f"text/plain; charset={charset}")

    assert status == 400
    assert transport.events == []
    assert [record.name for record in caplog.records] == ["edge.charset"]
    assert served_client.get("/broken/")[0] == 500
    assert len(transport.events) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; title*=undefined''%41",  # UnicodeError
        "text/plain; charset*=hex",  # LookupError: read as charset=hex
        "text/plain; title*=x; title*0*=y",  # TypeError in the parser itself
    ],
)
def test_a_content_type_whose_rfc_2231_parameters_django_cannot_read_is_a_400(served_client, content_type):
    # RFC 2231 lets any parameter name its charset; Django decodes it while it reads the
    # request's headers, before any middleware.
    assert sent_in(served_client, content_type)[0] == 400


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "latin1", "windows-1252", "shift_jis"])
def test_a_request_in_a_text_charset_is_read(served_client, charset):
    assert sent_in(served_client, f"text/plain; charset={charset}") == (200, b"x")
