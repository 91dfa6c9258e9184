"""The PostgreSQL triggers behind `ledger.totals`, installed by migration 0012 (kept apart from the models so
the migration does not import them)."""

# The triggers (installed by migration 0012). A statement that changes no amount adds no row.
RECOUNT = """
    DELETE FROM ledger_totals_delta;
    INSERT INTO ledger_totals_delta (projects, signed, funds)
    SELECT (SELECT COUNT(*) FROM ledger_project), (SELECT COALESCE(SUM(signed_amount), 0) FROM ledger_project),
           (SELECT COALESCE(SUM(amount), 0) FROM ledger_fundarrival);
"""
INSTALL = f"""
CREATE FUNCTION ledger_totals_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ledger_totals_delta (projects, signed, funds)
    SELECT COUNT(*), COALESCE(SUM(signed_amount), 0), 0 FROM new_rows HAVING COUNT(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ledger_totals_delta (projects, signed, funds)
    SELECT -COUNT(*), -COALESCE(SUM(signed_amount), 0), 0 FROM old_rows HAVING COUNT(*) > 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO ledger_totals_delta (projects, signed, funds)
    SELECT 0, d, 0 FROM (SELECT (SELECT COALESCE(SUM(signed_amount), 0) FROM new_rows)
                              - (SELECT COALESCE(SUM(signed_amount), 0) FROM old_rows) AS d) AS change
    WHERE d <> 0;
  ELSE  -- TRUNCATE
    {RECOUNT}
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION ledger_totals_funds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ledger_totals_delta (projects, signed, funds)
    SELECT 0, 0, SUM(amount) FROM new_rows HAVING COUNT(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ledger_totals_delta (projects, signed, funds)
    SELECT 0, 0, -SUM(amount) FROM old_rows HAVING COUNT(*) > 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO ledger_totals_delta (projects, signed, funds)
    SELECT 0, 0, d FROM (SELECT (SELECT COALESCE(SUM(amount), 0) FROM new_rows)
                              - (SELECT COALESCE(SUM(amount), 0) FROM old_rows) AS d) AS change
    WHERE d <> 0;
  ELSE
    {RECOUNT}
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_totals_project_ins AFTER INSERT ON ledger_project
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_project();
CREATE TRIGGER ledger_totals_project_upd AFTER UPDATE ON ledger_project
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_project();
CREATE TRIGGER ledger_totals_project_del AFTER DELETE ON ledger_project
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_project();
CREATE TRIGGER ledger_totals_project_trunc AFTER TRUNCATE ON ledger_project
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_project();
CREATE TRIGGER ledger_totals_funds_ins AFTER INSERT ON ledger_fundarrival
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_funds();
CREATE TRIGGER ledger_totals_funds_upd AFTER UPDATE ON ledger_fundarrival
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_funds();
CREATE TRIGGER ledger_totals_funds_del AFTER DELETE ON ledger_fundarrival
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_funds();
CREATE TRIGGER ledger_totals_funds_trunc AFTER TRUNCATE ON ledger_fundarrival
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_funds();
{RECOUNT}
"""
UNINSTALL = """
DROP TRIGGER IF EXISTS ledger_totals_project_ins ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_project_upd ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_project_del ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_project_trunc ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_funds_ins ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_totals_funds_upd ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_totals_funds_del ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_totals_funds_trunc ON ledger_fundarrival;
DROP FUNCTION IF EXISTS ledger_totals_project();
DROP FUNCTION IF EXISTS ledger_totals_funds();
"""
