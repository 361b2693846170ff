"""The portal's one settings module, driven by the environment.

Every value that differs between a laptop and production comes from an environment
variable (see `.env.example` and the README). With nothing set, the portal runs on the
embedded defaults: SQLite file, eager Celery, local-memory cache, console e-mail and
local media, so that `make run` needs no configuration.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read unless DJANGO_READ_DOT_ENV=0 (the settings tests
# set it, so that a developer's .env cannot change what they check).
if env.bool("DJANGO_READ_DOT_ENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -----------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=True)

# The development key is refused in production by the system check in pole/checks.py.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Former keys, still accepted for sessions, signed links and TOTP secrets during a rotation.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_countries",
    "localflavor",
    "simple_history",
    "import_export",
    "django_htmx",
    "bootstrap",
    "csp",
    # Ours, from the bottom layer up: pole ← members ← projects ← labelling ← governance
    "pole",
    "members",
    "projects",
    "labelling",
    "governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pole.request_guards.RequestBodyLimitMiddleware",
    "pole.request_guards.ControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pole.cache_control.PrivateResponsesNotCachedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.RequireMFAEnrolmentMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pole.urls"
# Form fields render through templates/django/forms/ (Bootstrap markup, errors by the field).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "pole.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pole.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, results and cache --------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
# Every connection to Redis (cache, broker, results) gives up after these many seconds, so
# that a hung or unreachable Redis slows a page by a few seconds instead of hanging it.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pole",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery (read by pole/celery.py through the CELERY_ namespace). Without Redis, tasks run
# eagerly in the web process, which is what a laptop needs.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"pole.reports.generate_file": {"queue": "pdf"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 15 * 60
# No task's return value is read (the database holds every outcome): keeping results would
# make each publication also wait on the result backend when Redis is away.
CELERY_TASK_IGNORE_RESULT = True
# A task a killed worker had not acknowledged goes back to its queue after the visibility
# timeout. It must exceed the longest hard time limit (or a task still running would be
# delivered twice), and no more than a margin above it (or a killed worker's PDF would wait
# two hours): 15 min + 1 min. See docs/architecture.md, "Jobs and redelivery".
TASK_REDELIVERY_MARGIN = 60
_REDIS_TIMEOUTS = {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + TASK_REDELIVERY_MARGIN,
    **_REDIS_TIMEOUTS,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = dict(_REDIS_TIMEOUTS)
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A generated file (pole.reports) still queued after this many seconds is presumed lost: the
# next visit to its download page hands it to Celery again, once.
GENERATED_FILE_LOST_AFTER = 5 * 60
CELERY_BEAT_SCHEDULE = {
    "mark-overdue-dues-and-remind": {
        "task": "members.tasks.remind_unpaid_dues",
        "schedule": 24 * 60 * 60,  # daily; the task itself spaces reminders per record
    },
}

# --- E-mail ---------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Portail du pôle <noreply@pole.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Public media (logos) are served by the app unless a web server in front does it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "pole.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Form fields other than files (the text of the longest form is far below this).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Accounts (django-allauth) ----------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pole:dashboard"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so that nobody switches them off by accident.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG and env.bool("SECURE_SSL_REDIRECT", default=True) else "http"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"login": "members.forms.accounts.LoginForm"}
# "Remember me" keeps a session SESSION_COOKIE_AGE (two weeks), but at most this long for the
# privileged roles (staff, expert, committee, board, funder, admin users): members/forms/accounts.py.
PRIVILEGED_SESSION_MAX_AGE = env.int("PRIVILEGED_SESSION_MAX_AGE", default=12 * 60 * 60)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Accept the code of the previous and next 30-second window (clock drift, slow typing).
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Portail du pôle")
MFA_ADAPTER = "members.adapters.MFAAdapter"
# TOTP keys are encrypted at rest (members/mfa.py) with this key, or with one derived from
# SECRET_KEY when it is empty. Changing it (or SECRET_KEY without keeping the old one in
# SECRET_KEY_FALLBACKS) makes every enrolled authenticator unreadable.
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="")

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# English dates the European way (pole/formats/en/formats.py).
FORMAT_MODULE_PATH = ["pole.formats"]

# --- Security ---------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pole.views.csrf_failure"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Cookies are Secure in production. The language cookie follows the session cookie, and
# like it is not sent by cross-site requests other than top-level navigation.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Strict policy: no inline script or style anywhere; every asset is served by the app.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # Eager tasks in development would log every run; failures still show.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# --- The portal -------------------------------------------------------------------------

# The portal's public address, for links in e-mails sent outside a request (scheduled jobs).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

# Roles whose members must enrol in two-factor authentication before using the portal [A2].
MFA_REQUIRED_GROUPS = ["staff", "expert", "committee", "board", "funder"]
# Shown on the login page, only when DEBUG is on (see templates/account/login.html).
DEMO_PASSWORD = "demo-pole-2026"
# Dues [M4]: payment term after invoicing, and the interval between two reminders.
DUES_PAYMENT_TERM_DAYS = env.int("DUES_PAYMENT_TERM_DAYS", default=30)
DUES_REMINDER_INTERVAL_DAYS = env.int("DUES_REMINDER_INTERVAL_DAYS", default=30)
# Uploads: the largest accepted file, in bytes, and the most files one form sends (the join
# form's three documents).
MAX_UPLOAD_SIZE = 20 * 1024 * 1024
MAX_LOGO_SIZE = 2 * 1024 * 1024
MAX_FILES_PER_REQUEST = 3
# A few more than any form accepts, so that the form itself says how many it takes.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# A request body larger than this is refused with 413 before it is read
# (pole.request_guards): the largest form's files plus its other fields.
MAX_REQUEST_BODY_SIZE = MAX_FILES_PER_REQUEST * MAX_UPLOAD_SIZE + DATA_UPLOAD_MAX_MEMORY_SIZE
DEMO_EMAIL_DOMAIN = "demo.example"
