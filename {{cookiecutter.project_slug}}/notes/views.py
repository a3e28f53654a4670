"""The example resource: notes at /api/notes/, to grow from (docs/api.md).

Anyone may read; writing needs a signed-in user, through Django's session and its CSRF
token (REST framework's SessionAuthentication checks both, REST_FRAMEWORK in settings).
What a client gets wrong is an answer with a JSON body: 400 for invalid input, 403
without a session or the CSRF token, 404 for a note that does not exist.
"""

from rest_framework import viewsets
from rest_framework.filters import OrderingFilter

from notes.models import Note
from notes.serializers import NoteSerializer


class NoteViewSet(viewsets.ModelViewSet[Note]):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    # /api/notes/{id}/ takes whole numbers only: anything else is a 404 from the router.
    lookup_value_converter = "int"
    # ?ordering=title, -title, created_at or -created_at (newest first by default).
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]
