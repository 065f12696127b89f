"""The counting sample's covering index, and the archive's generation (decisions.whole_archive).

The generation is a sequence that any write to decisions, organisations or categories
advances, by triggers: once when the statement runs, and for decisions once more when
the transaction commits (a deferred constraint trigger; those are per row only), so
no cached whole-archive figure outlives the data it counted.
"""

import django.db.models.functions.math
from django.db import migrations, models

CHANGED = """
CREATE SEQUENCE decisions_archive_generation;
CREATE FUNCTION decisions_archive_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('decisions_archive_generation');
    RETURN NULL;
END
$$;
CREATE TRIGGER decision_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON decisions_decision
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_archive_changed();
CREATE CONSTRAINT TRIGGER decision_changed_at_commit
    AFTER INSERT OR UPDATE OR DELETE ON decisions_decision
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION decisions_archive_changed();
CREATE TRIGGER organisation_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON decisions_organisation
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_archive_changed();
CREATE TRIGGER category_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON decisions_category
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_archive_changed();
"""

UNCHANGED = """
DROP TRIGGER category_changed ON decisions_category;
DROP TRIGGER organisation_changed ON decisions_organisation;
DROP TRIGGER decision_changed_at_commit ON decisions_decision;
DROP TRIGGER decision_changed ON decisions_decision;
DROP FUNCTION decisions_archive_changed();
DROP SEQUENCE decisions_archive_generation;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0006_indexes_in_list_order"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                django.db.models.functions.math.Mod("id", 1000),
                include=(
                    "id",
                    "category",
                    "organisation",
                    "outcome",
                    "decision_date",
                    "remedy_total",
                    "withdrawn_at",
                ),
                name="decision_sample_bucket_idx",
            ),
        ),
        migrations.RunSQL(CHANGED, UNCHANGED),
    ]
