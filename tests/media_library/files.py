"""Real files made on the spot for the media library's tests: photos Pillow and
pillow-heif write, PDFs written by hand (byte offsets and all), and office documents as
the ZIP containers their programs make."""

import io
import struct
import zipfile
import zlib

import pillow_heif
from PIL import Image

ORIENTATION = 0x0112
MAKE = 0x010F
GPS_IFD = 0x8825


def jpeg(size=(1200, 800), *, colour="steelblue", exif: Image.Exif | None = None) -> bytes:
    """A JPEG with a red square in its top-left quarter, so crops can be told apart."""
    picture = Image.new("RGB", size, colour)
    picture.paste("red", (0, 0, size[0] // 4, size[1] // 4))
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=90, exif=exif.tobytes() if exif else b"")
    return output.getvalue()


def camera_exif(*, orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: the camera, the orientation and where the photo was taken."""
    exif = Image.Exif()
    exif[MAKE] = "Canon"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (43.0, 15.0, 0.0)  # Almaty
    gps[3] = "E"
    gps[4] = (76.0, 54.0, 0.0)
    return exif


def png(size=(300, 200), mode="RGBA") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size, (10, 120, 30, 128) if mode == "RGBA" else "green").save(output, "PNG")
    return output.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels: a decompression bomb as a header says it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def heic(size=(640, 480)) -> bytes:
    pillow_heif.register_heif_opener()
    output = io.BytesIO()
    Image.new("RGB", size, "orange").save(output, format="HEIF", quality=80)
    return output.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def pdf(pages: int = 2, *, catalog_extra: str = "", more_objects: tuple[str, ...] = ()) -> bytes:
    """A PDF written object by object, with a drawn square on each page."""
    content = b"0 0 1 rg 20 20 120 120 re f"
    page_ids = [4 + 2 * index for index in range(pages)]
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
        f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {pages} >>",
        "<< /Producer (Pressroom tests) >>",
    ]
    for page_id in page_ids:
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 300] /Contents {page_id + 1} 0 R >>"
        )
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content.decode()}\nendstream")
    objects.extend(more_objects)
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    output += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(output)


def office(kind: str, *, macros: bool = False) -> bytes:
    """A DOCX, XLSX or ODT container with the members that make it one."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind == "odt":
            archive.writestr(
                "mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED
            )
            archive.writestr("content.xml", "<office:document-content/>")
            archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        else:
            types = (
                "application/vnd.ms-word.document.macroEnabled.main+xml" if macros else "main+xml"
            )
            archive.writestr(
                "[Content_Types].xml", f"<Types><Override ContentType='{types}'/></Types>"
            )
            archive.writestr("_rels/.rels", "<Relationships/>")
            main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
            archive.writestr(main, "<document>Отчёт акимата</document>")
            if macros:
                archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return output.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


def exif_of(data: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(data)) as picture:
        return picture.getexif()


def opened(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture
