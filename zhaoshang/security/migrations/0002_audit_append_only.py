"""On PostgreSQL the security audit log refuses UPDATE and DELETE in the database itself, whoever asks: a
trigger raises unless the row is being removed by `zhaoshang_audit_purge(before, min_days)`, which deletes only
rows older than the retention period (at least 180 days). SQLite gets no trigger: Django's test flush empties
tables with DELETE, which a trigger would refuse (PostgreSQL's flush uses TRUNCATE, which fires no row trigger).
The model refuses updates and deletes in Python on every database."""

from django.db import migrations

TABLE = "security_auditevent"

CREATE = f"""
CREATE OR REPLACE FUNCTION security_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('zhaoshang.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '安全审计日志只能追加，不能修改或删除' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS security_auditevent_append_only ON {TABLE};
CREATE TRIGGER security_auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION security_auditevent_append_only();

CREATE OR REPLACE FUNCTION zhaoshang_audit_purge(before timestamptz, min_days integer DEFAULT 180)
RETURNS bigint AS $$
DECLARE
    removed bigint;
BEGIN
    IF min_days < 180 OR before > now() - make_interval(days => min_days) THEN
        RAISE EXCEPTION '安全审计日志至少保留%天', greatest(min_days, 180) USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('zhaoshang.audit_purge', 'on', true);
    DELETE FROM {TABLE} WHERE at < before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('zhaoshang.audit_purge', 'off', true);
    RETURN removed;
END;
$$ LANGUAGE plpgsql;
"""

DROP = f"""
DROP TRIGGER IF EXISTS security_auditevent_append_only ON {TABLE};
DROP FUNCTION IF EXISTS security_auditevent_append_only();
DROP FUNCTION IF EXISTS zhaoshang_audit_purge(timestamptz, integer);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # None: the SQL has a literal % (RAISE format)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
