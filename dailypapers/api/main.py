"""The NinjaAPI instance: routers, error handlers ({"error": ...} everywhere) and the OpenAPI document."""

from __future__ import annotations

import logging

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dailypapers.api.responses import ApiError, error_response
from dailypapers.api.routes_hf import markdown_router
from dailypapers.api.routes_hf import router as hf_router
from dailypapers.api.routes_library import hf_router as hf_collections_router
from dailypapers.api.routes_library import router as library_router
from dailypapers.api.routes_v1 import router as v1_router

log = logging.getLogger(__name__)

DESCRIPTION = """\
The papers API of this hub.

* **Hugging Face compatible** routes answer the official `huggingface_hub` client unchanged:
  `HfApi(endpoint="<this site>").list_daily_papers()`, `paper_info()`, `list_papers()`, `read_paper()`.
  Collections too, for paper items: `create_collection()`, `get_collection()`, `add_collection_item(item_type="paper")`,
  `update_collection_item()`, `delete_collection_item()`, `list_collections()`.
* **/api/v1** is our own API: papers, search, similar papers, authors, daily pages, trending, comments, votes, and
  the personal library (collections, reading list, private notes, follows, For you, Following).

Reads are public. Writes need a personal token (create one at `/settings/tokens`), sent as
`Authorization: Bearer <token>`. Errors are `{"error": "..."}` with the same text in the `X-Error-Message` header.
Every client is rate-limited (429 with `Retry-After`, `ratelimit` and `ratelimit-policy` headers).
"""


class RootMountedAPI(NinjaAPI):
    """Mounted at the site root without ninja's root page (see urls.py), so its root path is simply "/"."""

    def get_root_path(self, path_params: dict) -> str:
        return "/"


api = RootMountedAPI(
    title="Daily Papers API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/api/openapi.json",
    docs_url="/api/docs",
)
api.add_router("/api/", hf_collections_router)
api.add_router("/api/", hf_router)
api.add_router("/api/v1/", v1_router)
api.add_router("/api/v1/", library_router)
api.add_router("/", markdown_router)


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return error_response(exc.message, status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    parts = []
    for error in exc.errors[:5]:
        where = ".".join(str(piece) for piece in error.get("loc", ()) if piece not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    detail = [{"loc": list(map(str, e.get("loc", ()))), "msg": str(e.get("msg", ""))} for e in exc.errors[:20]]
    return error_response("Invalid request: " + "; ".join(parts), status=400, detail=detail)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(
        "A valid personal API token is required (Authorization: Bearer <token>); create one at /settings/tokens.",
        status=401,
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(str(exc.message), status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(str(exc) or "Not found", status=404)


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    log.exception("API error on %s %s", request.method, request.path)
    return error_response("Internal error", status=500)
