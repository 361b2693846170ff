"""The private storage: files that must never be served by the web server directly
(application documents, dues notices, project dossiers). They live in PRIVATE_MEDIA_ROOT,
outside MEDIA_ROOT, and are downloaded only through permission-checked views."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateStorage(FileSystemStorage):
    """A file-system storage rooted at settings.PRIVATE_MEDIA_ROOT, read at each use (not
    cached), so that a changed setting (tests) takes effect on fields created at start-up."""

    def __init__(self, **kwargs):
        super().__init__(base_url=None, **kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    return storages["private"]
