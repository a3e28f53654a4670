"""The example resource: notes at /api/notes/, to grow from (docs/api.md).

Each note belongs to the user who wrote it, and every operation sees only the caller's
own: another user's note is a 404, exactly like one that does not exist, so an id
reveals nothing. Callers sign in by session token or session cookie (api/auth.py,
REST_FRAMEWORK in settings). What a client gets wrong is an answer with a JSON body: 400
for invalid input, 401 when not signed in, 403 for a browser's write without its CSRF
token, 404 for a note it cannot see.
"""

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from notes.models import Note
from notes.serializers import NoteSerializer


class NoteViewSet(viewsets.ModelViewSet[Note]):
    serializer_class = NoteSerializer
    # /api/notes/{id}/ takes whole numbers only: anything else is a 404 from the router.
    lookup_value_converter = "int"
    # ?ordering=title, -title, created_at or -created_at (newest first by default).
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Note]:
        # The caller's notes: where every operation starts, so none reaches another's.
        # (REST_FRAMEWORK's IsAuthenticated has let only signed-in users this far.)
        return Note.objects.filter(author=self.request.user.pk)

    def perform_create(self, serializer: serializers.BaseSerializer[Note]) -> None:
        serializer.save(author=self.request.user)
