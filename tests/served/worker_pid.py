"""Copied into a bake by the template's served-API tests: an X-Worker-Pid header on
every answer, so a test can tell which of gunicorn's workers answered it."""

import os


def name_the_worker(get_response):
    def middleware(request):
        response = get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        return response

    return middleware
