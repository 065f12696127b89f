"""The admin: curation of decisions, withdrawal, and uploads with an audit trail.

Django's admin loads this package; each module registers the pages of one meaning:
`curation` (decisions, organisations, categories), `captures` (every source as it came
in), `imports` (uploads and import runs), `forms` (the curation's form and filters), and
the harvester's runs and source pages (decisions.harvesting.admin).
"""

from decisions.admin import captures, curation, imports
from decisions.harvesting import admin as harvesting_admin

__all__ = ["captures", "curation", "harvesting_admin", "imports"]
