"""The example resource in Django's admin, at /admin/notes/note/."""

from django.contrib import admin

from notes.models import Note


@admin.register(Note)
# ModelAdmin is generic only in django-stubs: Django itself cannot subscript it.
class NoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "author", "created_at", "updated_at"]
    search_fields = ["title", "author__email"]
    list_select_related = ["author"]
    raw_id_fields = ["author"]
