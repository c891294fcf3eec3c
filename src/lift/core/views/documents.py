"""A background-built document: its progress page and its download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render

from ..documents import CONTENT_TYPES, document_retry
from ..models.documents import DocumentStatus, GeneratedDocument
from ..storage import open_for_download
from ..workers import MAKE_COMMAND, WORKER_COMMAND, worker_missing
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
    """Progress of a requested document; refreshes itself every few seconds until done.
    A document that has waited LIFT_WORKER_WAIT_SECONDS with no live task worker says so
    (and which command starts one); a failed one gives its reason and a "Try again"."""

    permission = "view"

    def get(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        document = _visible(self, pk)
        # Waiting since it was queued (or queued again), or being made since it started:
        # both saves set updated_at, and progress is written without touching it.
        no_worker = not document.is_finished and worker_missing(since=document.updated_at)
        return render(
            request,
            "documents/status.html",
            {
                "title": document.title or "Your document",
                "document": document,
                "refresh": not document.is_finished,
                "ready": document.status == DocumentStatus.READY,
                "failed": document.status == DocumentStatus.FAILED,
                "no_worker": no_worker,
                "started": document.status == DocumentStatus.BUILDING,
                "worker_command": WORKER_COMMAND,
                "make_command": MAKE_COMMAND,
            },
        )


class DocumentRetryView(LiftView):
    """Queue a failed document again; for whoever may see the document (else 404)."""

    permission = "view"

    def post(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        document = _visible(self, pk)
        if document_retry(generated=document):
            messages.success(request, "The document is being made again.")
        return HttpResponseRedirect(document.get_absolute_url())


class DocumentDownloadView(LiftView):
    """The finished file, to those who may see the document."""

    permission = "view"

    def get(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        document = _visible(self, pk)
        if document.status != DocumentStatus.READY or not document.file:
            raise Http404
        response = FileResponse(
            open_for_download(document.file),
            as_attachment=True,
            filename=document.filename or f"document.{document.format}",
            content_type=CONTENT_TYPES[document.format],
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
        return response
