"""Pages of a list, for every resource: ?page=2, and ?page_size= up to 100 (20 by default)."""

{% if cookiecutter.api_framework == "ninja" -%}
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """At most 100 items a page (a larger page_size is invalid input), and a page
    number a database can offset by: `@paginate(Pages, page_size=20)`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100)
{%- else -%}
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS: a larger page_size gives 100 items."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
{%- endif %}
