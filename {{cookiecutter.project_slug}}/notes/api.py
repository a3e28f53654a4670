"""The example resource: notes at /api/notes/, to grow from (docs/api.md).

Anyone may read; writing needs a signed-in user, through Django's session and its CSRF
token (django-ninja's django_auth checks both). What a client gets wrong is an answer
with a JSON body: 422 for invalid input, 401 without a session, 403 without the CSRF
token, 404 for a note that does not exist.
"""

from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

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


@router.get("/", response=list[NoteOut])
@paginate(Pages, page_size=20)
def list_notes(
    request: HttpRequest, ordering: Annotated[NoteOrdering, Query()] = "-created_at"
) -> QuerySet[Note]:
    return Note.objects.order_by(ordering, "-id")


@router.post("/", response={201: NoteOut}, auth=django_auth)
def create_note(request: HttpRequest, payload: NoteIn) -> Status[Note]:
    return Status(201, Note.objects.create(**payload.dict()))


@router.get("/{note_id}/", response=NoteOut)
def get_note(request: HttpRequest, note_id: int) -> Note:
    return get_object_or_404(Note, id=note_id)


@router.put("/{note_id}/", response=NoteOut, auth=django_auth)
def update_note(request: HttpRequest, note_id: int, payload: NoteIn) -> Note:
    note = get_object_or_404(Note, id=note_id)
    for name, value in payload.dict().items():
        setattr(note, name, value)
    note.save()
    return note


@router.delete("/{note_id}/", response={204: None}, auth=django_auth)
def delete_note(request: HttpRequest, note_id: int) -> Status[None]:
    get_object_or_404(Note, id=note_id).delete()
    return Status(204, None)
