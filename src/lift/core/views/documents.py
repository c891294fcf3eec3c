"""A background-built document: its progress page and its download."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from ..documents import CONTENT_TYPES
from ..models.documents import DocumentStatus, GeneratedDocument
from .generic import LiftView


def _visible(view: LiftView, pk: int) -> GeneratedDocument:
    """The document if the user may see it and its subject (else 404)."""
    document = (
        GeneratedDocument.objects.restrict(view.request.user, "view")
        .filter(pk=pk, partnership=view.partnership)
        .select_related("requested_by")
        .first()
    )
    if document is None:
        raise Http404
    return document


class DocumentStatusView(LiftView):
    """Progress of a requested document; refreshes itself every few seconds until done."""

    permission = "view"

    def get(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        document = _visible(self, pk)
        return render(
            request,
            "documents/status.html",
            {
                "title": document.title or "Your document",
                "document": document,
                "refresh": not document.is_finished,
                "ready": document.status == DocumentStatus.READY,
                "failed": document.status == DocumentStatus.FAILED,
            },
        )


class DocumentDownloadView(LiftView):
    """The finished file, to those who may see the document."""

    permission = "view"

    def get(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        document = _visible(self, pk)
        if document.status != DocumentStatus.READY or not document.file:
            raise Http404
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename or f"document.{document.format}",
            content_type=CONTENT_TYPES[document.format],
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
        return response
