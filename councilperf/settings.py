"""Settings for councilperf, read from the environment with safe development defaults."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The development key is public; production.py refuses to start with it.
DEVELOPMENT_SECRET_KEY = "django-insecure-councilperf-development-only"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Off unless turned on: `make run` sets DJANGO_DEBUG=1 for the demo. With it off, a missing page
# is the council's 404 page, never Django's list of every URL.
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

COUNCIL_NAME = env("COUNCILPERF_COUNCIL_NAME", "Herefordshire Council")
# The council's ONS code: how comparator files (LG Inform) name it; LGBF files name it by COUNCIL_NAME.
COUNCILPERF_COUNCIL_CODE = env("COUNCILPERF_COUNCIL_CODE", "E06000019")

# The council's "as at" date (core.clock.today): empty for the real date; an ISO date fixes it,
# as `make run` does for the demo council (2006-09-07, the day of its Cabinet meeting).
COUNCILPERF_AS_AT = env("COUNCILPERF_AS_AT", "")
# What a report prints for a figure, progress update or risk review not yet signed off:
# "provisional" (printed, marked "provisional, not signed off") or "omit" ("not yet available").
COUNCILPERF_UNAPPROVED_IN_REPORTS = env("COUNCILPERF_UNAPPROVED_IN_REPORTS", "provisional")

# The status engine (indicators.status): how an objective's status rolls up from its indicators
# ("worst" or "majority"), and how small a change, as % of the earlier figure, counts as stable.
COUNCILPERF_OBJECTIVE_ROLLUP = env("COUNCILPERF_OBJECTIVE_ROLLUP", "worst")
COUNCILPERF_STABLE_BAND_PCT = env("COUNCILPERF_STABLE_BAND_PCT", "1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "core",
    "organisation",
    "indicators",
    "improvement_plans",
    "risks",
    "budgets",
    "benchmarking",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.http.RequestContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "councilperf.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "councilperf.context_processors.council",
            ],
            "builtins": ["core.templatetags.display"],
        },
    },
]

WSGI_APPLICATION = "councilperf.wsgi.application"

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'councilperf.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool through Django; persistent connections and the pool do not mix.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(env("DATABASE_POOL_MIN", "2")),
        "max_size": int(env("DATABASE_POOL_MAX", "10")),
        "timeout": 10,
    }
    DATABASES["default"]["TEST"] = {"NAME": env("DATABASE_TEST_NAME", "test_councilperf")}
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # WAL lets readers carry on while a worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Single sign-on with the council's OpenID Connect provider (docs/sso.md, ADR 0011): on when an
# issuer and a client id are set. Each COUNCILPERF_OIDC_GROUPS_<ROLE> lists the provider's group
# claim values that give that role; the admin can add more (Sign-in group mappings).
COUNCILPERF_OIDC = {
    "ISSUER": env("COUNCILPERF_OIDC_ISSUER", "").rstrip("/"),
    "DISCOVERY_URL": env("COUNCILPERF_OIDC_DISCOVERY_URL", ""),
    "CLIENT_ID": env("COUNCILPERF_OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": env("COUNCILPERF_OIDC_CLIENT_SECRET", ""),
    "SCOPES": env("COUNCILPERF_OIDC_SCOPES", "openid profile email").split(),
    "PROVIDER_NAME": env("COUNCILPERF_OIDC_PROVIDER_NAME", "your council account"),
    "GROUPS_CLAIM": env("COUNCILPERF_OIDC_GROUPS_CLAIM", "groups"),
    "GROUPS": {
        "Officer": env_list("COUNCILPERF_OIDC_GROUPS_OFFICER"),
        "Approver": env_list("COUNCILPERF_OIDC_GROUPS_APPROVER"),
        "Performance team": env_list("COUNCILPERF_OIDC_GROUPS_PERFORMANCE"),
        "Member": env_list("COUNCILPERF_OIDC_GROUPS_MEMBER"),
    },
    # "claim value=ABBREVIATION, ...": group claim values that give a lead role in the glossary.
    "LEAD_ROLES": env_list("COUNCILPERF_OIDC_LEAD_ROLES"),
    # Or a claim whose values are the glossary's abbreviations themselves (then SSO decides them all).
    "LEAD_ROLES_CLAIM": env("COUNCILPERF_OIDC_LEAD_ROLES_CLAIM", ""),
    "DIRECTORATE_CLAIM": env("COUNCILPERF_OIDC_DIRECTORATE_CLAIM", ""),
    # A claim that is false for an account the provider has disabled; the user is then deactivated.
    "ACTIVE_CLAIM": env("COUNCILPERF_OIDC_ACTIVE_CLAIM", ""),
    "ROLE_CONTACT": env("COUNCILPERF_OIDC_ROLE_CONTACT", "the performance team"),
}
# The username and password form, for the admin and for councils without single sign-on.
COUNCILPERF_LOCAL_PASSWORDS = env_bool("COUNCILPERF_LOCAL_PASSWORDS", True)

# django-allauth does the OpenID Connect flow; organisation.sso_allauth holds what is ours.
SOCIALACCOUNT_ADAPTER = "organisation.sso_allauth.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "organisation.sso_allauth.CouncilProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
SOCIALACCOUNT_ONLY = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never match an account by e-mail alone
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sign-in throttling: five failures lock the username from that address for 30 minutes.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the client's, read behind the proxies the council trusts (core.http): locking by
# the proxy's address would let anyone lock a named person out. Set COUNCILPERF_TRUSTED_PROXIES
# to the number of proxies in front of the app (docs/operations.md).
COUNCILPERF_TRUSTED_PROXIES = int(env("COUNCILPERF_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "core.http.axes_client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# A page in the council's design that says what happened and what to do, not a bare text response.
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Chromium applies form-action to the redirect after a form is sent: the "Sign in with" and
# "Sign out" buttons end at the identity provider.
if COUNCILPERF_OIDC["ISSUER"]:
    _issuer = urlsplit(COUNCILPERF_OIDC["ISSUER"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Without collectstatic (development, with DEBUG off by default) WhiteNoise serves from the sources.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", not STATIC_ROOT.exists())
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Generated files (report PDFs, exports) live here; on several app servers it must be shared storage.
MEDIA_ROOT = Path(env("COUNCILPERF_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

# Uploads: a spreadsheet bigger than this is refused before it is opened.
UPLOAD_MAX_BYTES = int(env("COUNCILPERF_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
UPLOAD_MAX_UNZIPPED_BYTES = int(env("COUNCILPERF_UPLOAD_MAX_UNZIPPED_BYTES", str(200 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "performance@council.example")

TASKS = {
    "default": {
        "BACKEND": env("COUNCILPERF_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# A PDF part "running" longer than this was left by a worker that stopped: the next render takes it up.
REPORTS_PDF_STALE_SECONDS = int(env("REPORTS_PDF_STALE_SECONDS", "600"))

# What prints a report's PDF pack (docs/adr/0014): "chromium" (a headless Chromium kept open by the
# worker), "weasyprint", or "auto", Chromium where it is installed and WeasyPrint where it is not.
# Plans' and exceptions' PDFs are WeasyPrint's whatever this says. COUNCILPERF_CHROMIUM names the
# binary when it is not `chromium` on the PATH.
COUNCILPERF_PDF_RENDERER = env("COUNCILPERF_PDF_RENDERER", "auto")
if COUNCILPERF_PDF_RENDERER not in ("auto", "chromium", "weasyprint"):
    raise ImproperlyConfigured(
        f"COUNCILPERF_PDF_RENDERER is {COUNCILPERF_PDF_RENDERER!r}: it must be auto, chromium or weasyprint")
COUNCILPERF_CHROMIUM = env("COUNCILPERF_CHROMIUM", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}
