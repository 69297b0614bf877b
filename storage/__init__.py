"""Records and documents: the database (SQLAlchemy + Alembic) and S3 objects.

This layer imports neither ``workers`` nor ``web``.
"""
