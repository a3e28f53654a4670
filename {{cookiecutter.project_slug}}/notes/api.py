"""The example resource: notes at /api/notes/, to grow from (docs/api.md).

Each note belongs to the user who wrote it, and every operation sees only the caller's
own: another user's note is a 404, exactly like one that does not exist, so an id
reveals nothing. Callers sign in by session token or session cookie (api/auth.py). What
a client gets wrong is an answer with a JSON body: 422 for invalid input, 401 when not
signed in, 403 for a browser's write without its CSRF token, 404 for a note it cannot see.
"""

from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from api.auth import caller
from api.fields import StorableText
from api.pagination import Pages
from notes.models import Note

router = Router(tags=["notes"])

NoteOrdering = Literal["created_at", "-created_at", "title", "-title"]


class NoteIn(Schema):
    title: Annotated[StorableText, Field(min_length=1, max_length=200)]
    text: Annotated[StorableText, Field(max_length=10_000)] = ""


class NoteOut(ModelSchema):
    class Meta:
        model = Note
        fields = ["id", "title", "text", "created_at", "updated_at"]


def own_notes(request: HttpRequest) -> QuerySet[Note]:
    """The caller's notes: where every operation starts, so none reaches another's."""
    return Note.objects.filter(author=caller(request))


@router.get("/", response=list[NoteOut])
@paginate(Pages, page_size=20)
def list_notes(
    request: HttpRequest, ordering: Annotated[NoteOrdering, Query()] = "-created_at"
) -> QuerySet[Note]:
    return own_notes(request).order_by(ordering, "-id")


@router.post("/", response={201: NoteOut})
def create_note(request: HttpRequest, payload: NoteIn) -> Status[Note]:
    return Status(201, Note.objects.create(author=caller(request), **payload.dict()))


@router.get("/{note_id}/", response=NoteOut)
def get_note(request: HttpRequest, note_id: int) -> Note:
    return get_object_or_404(own_notes(request), id=note_id)


@router.put("/{note_id}/", response=NoteOut)
def update_note(request: HttpRequest, note_id: int, payload: NoteIn) -> Note:
    note = get_object_or_404(own_notes(request), id=note_id)
    for name, value in payload.dict().items():
        setattr(note, name, value)
    note.save()
    return note


@router.delete("/{note_id}/", response={204: None})
def delete_note(request: HttpRequest, note_id: int) -> Status[None]:
    get_object_or_404(own_notes(request), id=note_id).delete()
    return Status(204, None)
