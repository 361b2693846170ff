"""The private storage: files that must never be served by the web server directly
(application documents, dues notices, project dossiers). They live outside MEDIA_ROOT and
are downloaded only through permission-checked views."""

from django.core.files.storage import storages


def private_storage():
    return storages["private"]
