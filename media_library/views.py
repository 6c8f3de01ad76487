"""Photos and files as readers and staff get them: after media_library.access allowed it.

On the embedded default the file is streamed from MEDIA_ROOT; on S3 the browser is sent
to a signed address of the private object, valid for PRESSROOM_MEDIA_S3_URL_SECONDS. A
file nobody may see yet is a 404, like the release it belongs to.
"""

from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from . import access
from .models import Attachment, Image
from .renditions import SIZES

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
SIZE_NAMES = frozenset(size.name for size in SIZES)
# How long browsers and proxies keep a public file: a release taken back stops being
# served within this time.
PUBLIC_MAX_AGE = 300


@require_safe
def image_file(request, key, name):
    image = Image.objects.filter(key=key).first()
    return image_response(image, name, public=_allowed(request, image))


@require_safe
def attachment_file(request, key, name):
    attachment = Attachment.objects.filter(key=key).first()
    return attachment_response(attachment, name, public=_allowed(request, attachment))


def image_response(image: Image, name: str, *, public: bool):
    """The photo's original or rendition `name`, once the caller has decided who may have
    it (`public`: for anyone, and cached by browsers and proxies)."""
    stem, _dot, extension = name.partition(".")
    if extension not in CONTENT_TYPES:
        raise Http404
    if stem == "original" and image.file.name.endswith(f".{extension}"):
        stored = image.file
        content_type = CONTENT_TYPES[extension]
    else:
        rendition = image.renditions.filter(size=stem, format=extension).first()
        if rendition is not None:
            stored, content_type = rendition.file, CONTENT_TYPES[extension]
        elif stem in SIZE_NAMES:
            # Pages name renditions before the worker has made them (media_library.display):
            # until then the original stands in, and the browser scales it.
            stored = image.file
            content_type = CONTENT_TYPES[PurePosixPath(image.file.name).suffix.lstrip(".")]
        else:
            raise Http404
    return _serve(stored, content_type, public=public, filename=name)


def attachment_response(attachment: Attachment, name: str, *, public: bool):
    """The file (or its preview), once the caller has decided who may have it."""
    if name == "preview.webp" and attachment.preview:
        return _serve(attachment.preview, "image/webp", public=public, filename=name)
    if not name.endswith(f".{attachment.kind}"):
        raise Http404
    download = f"{attachment.download_stem}.{attachment.kind}"
    return _serve(attachment.file, CONTENT_TYPES[attachment.kind], public=public, download=download)


def _allowed(request, asset) -> bool:
    """Whether the file is public; 404 when it is neither public nor the user's to see."""
    if asset is None:
        raise Http404
    if access.is_public(asset):
        return True
    if access.may_see_in_admin(request.user, asset):
        return False
    raise Http404


def _serve(stored, content_type: str, *, public: bool, filename: str = "", download: str = ""):
    storage = stored.storage
    if isinstance(storage, FileSystemStorage):
        try:
            opened = storage.open(stored.name, "rb")
        except FileNotFoundError:
            raise Http404 from None  # a row whose file is gone: nothing to serve
        response = FileResponse(
            opened,
            content_type=content_type,
            as_attachment=bool(download),
            filename=download or filename,
        )
        response["Cache-Control"] = (
            f"public, max-age={PUBLIC_MAX_AGE}" if public else "private, no-store"
        )
        return response
    parameters = {"ResponseContentType": content_type}
    if download:
        parameters["ResponseContentDisposition"] = content_disposition_header(True, download)
    response = HttpResponseRedirect(storage.url(stored.name, parameters=parameters))
    # The signed address expires: the redirect to it is not kept for long, nor shared.
    response["Cache-Control"] = "private, max-age=60" if public else "private, no-store"
    return response
