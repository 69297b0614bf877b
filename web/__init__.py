"""The Flask app for people: citizens (intake, tracking) and staff (tasks).

``gunicorn 'web:create_app()'`` runs it; tests pass their own settings.
"""

from __future__ import annotations

from flask import Flask

from alur import dates, services, sops
from alur import settings as alur_settings
from alur.completion import Publisher
from alur.gateway import Deployer, Starter
from alur.usertasks import Completer
from storage.db import make_engine, make_sessionmaker
from storage.s3 import make_client
from web.sessions import DatabaseSessionInterface


def create_app(
    settings: alur_settings.Settings | None = None,
    catalog: tuple[services.Service, ...] = sops.CATALOG,
) -> Flask:
    """The app for ``settings`` (default: the environment) offering the ``catalog`` services."""
    settings = settings or alur_settings.load()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
    )
    engine = make_engine(settings.database_url)
    app.extensions["alur.settings"] = settings
    app.extensions["alur.db"] = make_sessionmaker(engine)
    app.session_interface = DatabaseSessionInterface(app.extensions["alur.db"])
    app.extensions["alur.s3"] = make_client(
        settings.s3_endpoint,
        settings.s3_access_key,
        settings.s3_secret_key,
        secure=settings.s3_secure,
        region=settings.s3_region,
    )

    from web import auth, extensions, health, people, public, reports, verify

    app.register_blueprint(public.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(verify.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.extensions["alur.services"] = catalog
    app.extensions["alur.completer"] = Completer(settings.zeebe_address)
    app.extensions["alur.starter"] = Starter(settings.zeebe_address)
    app.extensions["alur.deployer"] = Deployer(settings.zeebe_address)
    app.extensions["alur.publisher"] = Publisher(settings.zeebe_address)
    app.jinja_env.filters["waktu"] = dates.show_datetime
    app.jinja_env.filters["tanggal"] = dates.show_date
    app.jinja_env.filters["orang"] = people.name_of
    app.jinja_env.globals["agency_name"] = extensions.agency_name

    from web import (
        admin,
        admin_agencies,
        completion,
        documents,
        errors,
        modeler,
        owners,
        registers,
        registration,
        routing,
        tasks,
    )
    from web import sla as sla_dashboard

    app.register_blueprint(admin.bp)
    app.register_blueprint(admin_agencies.bp)
    app.register_blueprint(tasks.bp)
    app.register_blueprint(registration.bp)
    app.register_blueprint(completion.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(registers.bp)
    app.register_blueprint(owners.bp)
    app.register_blueprint(modeler.bp)
    app.register_blueprint(sla_dashboard.bp)
    app.register_blueprint(routing.bp)
    errors.register(app)
    app.before_request(auth.check_csrf)
    app.before_request(auth.load_user)
    app.jinja_env.globals["csrf_token"] = auth.csrf_token
    return app
