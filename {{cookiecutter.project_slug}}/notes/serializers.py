"""How the example resource's notes look in JSON, and what a client may write."""

from rest_framework import serializers

from notes.models import Note


class NoteSerializer(serializers.ModelSerializer[Note]):
    # REST framework's CharField refuses NUL characters and lone surrogates, which a
    # database cannot store, as invalid input rather than a server error.
    class Meta:
        model = Note
        fields = ["id", "title", "text", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
