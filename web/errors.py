"""Error pages in Bahasa Indonesia; JSON for requests that asked for it."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

MESSAGES = {
    400: "Permintaan tidak valid.",
    403: "Anda tidak berwenang membuka halaman ini.",
    404: "Halaman atau data yang Anda cari tidak ditemukan.",
    405: "Metode permintaan tidak diizinkan.",
    413: "Berkas atau isian terlalu besar.",
    500: "Terjadi kesalahan di server. Coba lagi beberapa saat lagi.",
}


def _handle(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    own = error.description if error.description != type(error).description else None
    message = own or MESSAGES.get(code, error.name)
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(message=message, errors={}), code
    return render_template("error.html", code=code, message=message), code


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle)
