"""The search index's change log (decisions.search.syncing): one row per decision
changed, written by triggers in the change's own transaction, whatever makes it.

Statement-level triggers with transition tables: a batch of 500 inserted decisions is
one INSERT ... SELECT into the log, not 500.
https://www.postgresql.org/docs/current/sql-createtrigger.html
"""

from django.db import migrations

FORWARD = """
CREATE TABLE decisions_searchchange (
    id bigserial PRIMARY KEY,
    decision_id bigint NOT NULL,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    changed_at timestamptz NOT NULL DEFAULT now()
);
-- The writer's question: the changes of transactions its snapshot did not see.
CREATE INDEX searchchange_txid_idx ON decisions_searchchange (txid);
-- The pruning of old rows.
CREATE INDEX searchchange_changed_at_idx ON decisions_searchchange (changed_at);

CREATE FUNCTION decisions_log_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO decisions_searchchange (decision_id) SELECT id FROM old_rows;
    ELSE
        INSERT INTO decisions_searchchange (decision_id) SELECT id FROM new_rows;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER decision_inserted_search AFTER INSERT ON decisions_decision
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_decisions();
CREATE TRIGGER decision_updated_search AFTER UPDATE ON decisions_decision
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_decisions();
CREATE TRIGGER decision_deleted_search AFTER DELETE ON decisions_decision
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_decisions();

-- A page gone at its source (or back) changes the decision's "removed at source".
CREATE FUNCTION decisions_log_source_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO decisions_searchchange (decision_id) SELECT decision_id FROM old_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO decisions_searchchange (decision_id)
        SELECT n.decision_id FROM new_rows n JOIN old_rows o USING (decision_id)
        WHERE n.gone_since IS NULL <> (o.gone_since IS NULL);
    ELSE
        INSERT INTO decisions_searchchange (decision_id)
        SELECT decision_id FROM new_rows WHERE gone_since IS NOT NULL;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER source_page_inserted_search AFTER INSERT ON decisions_sourcepage
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_source_pages();
CREATE TRIGGER source_page_updated_search AFTER UPDATE ON decisions_sourcepage
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_source_pages();
CREATE TRIGGER source_page_deleted_search AFTER DELETE ON decisions_sourcepage
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_source_pages();

-- A renamed organisation or category: its name is in its decisions' documents.
CREATE FUNCTION decisions_log_renamed_organisations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO decisions_searchchange (decision_id)
    SELECT d.id FROM decisions_decision d
    JOIN new_rows n ON d.organisation_id = n.id JOIN old_rows o ON o.id = n.id
    WHERE n.name <> o.name;
    RETURN NULL;
END $$;
CREATE TRIGGER organisation_renamed_search AFTER UPDATE ON decisions_organisation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_renamed_organisations();
CREATE FUNCTION decisions_log_renamed_categories() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO decisions_searchchange (decision_id)
    SELECT d.id FROM decisions_decision d
    JOIN decisions_category c ON c.id = d.category_id
    JOIN new_rows n ON n.id = c.id OR n.id = c.parent_id
    JOIN old_rows o ON o.id = n.id
    WHERE n.name <> o.name OR n.parent_id IS DISTINCT FROM o.parent_id;
    RETURN NULL;
END $$;
CREATE TRIGGER category_renamed_search AFTER UPDATE ON decisions_category
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_log_renamed_categories();
"""

BACKWARD = """
DROP TRIGGER category_renamed_search ON decisions_category;
DROP FUNCTION decisions_log_renamed_categories();
DROP TRIGGER organisation_renamed_search ON decisions_organisation;
DROP FUNCTION decisions_log_renamed_organisations();
DROP TRIGGER source_page_deleted_search ON decisions_sourcepage;
DROP TRIGGER source_page_updated_search ON decisions_sourcepage;
DROP TRIGGER source_page_inserted_search ON decisions_sourcepage;
DROP FUNCTION decisions_log_source_pages();
DROP TRIGGER decision_deleted_search ON decisions_decision;
DROP TRIGGER decision_updated_search ON decisions_decision;
DROP TRIGGER decision_inserted_search ON decisions_decision;
DROP FUNCTION decisions_log_decisions();
DROP TABLE decisions_searchchange;
"""


class Migration(migrations.Migration):
    dependencies = [("decisions", "0018_remedy_kind_statistics")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
