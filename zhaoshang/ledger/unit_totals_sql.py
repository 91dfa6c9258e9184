"""The PostgreSQL triggers behind `ledger.unit_totals`, installed by migration 0016 (kept apart from the models so
the migration does not import them).

Each statement appends its change to `ledger_unit_totals_delta`, grouped by introducing unit: projects added or
removed, their signed amount, and the funds in place of the projects the unit leads. The invariant: a unit's rows
sum to the count, signed amount and funds of the projects it leads now.

- A fund arrival counts for the unit of its project, looked up when it is written or removed. A project removed
  takes away the funds still recorded for it: the services remove the funds first (then the project has none
  left), a raw delete of the project first finds them here (and the later removal of the funds finds no project).
- A project moved to another unit takes its funds along.
- A new project brings no funds: every write path writes a project before its funds (as `summary_sql`).
  `SELECT ledger_unit_totals_recount()` counts everything again (docs/deploy.md).

The triggers are named ledger_totals_unit_* so that `figures_pause` sets them aside with the other totals."""

TABLE = "ledger_unit_totals_delta"
INSERT = f"INSERT INTO {TABLE} (unit_id, projects, signed, funds)\n"
NONZERO = "HAVING SUM(projects) <> 0 OR SUM(signed) <> 0 OR SUM(funds) <> 0"

# The funds recorded now for the project `alias` (0 when it has none).
FUNDS_OF = "COALESCE((SELECT SUM(f.amount) FROM ledger_fundarrival f WHERE f.project_id = {alias}.id), 0)"

RECOUNT = f"""
  DELETE FROM {TABLE};
  {INSERT}  SELECT p.lead_unit_id, COUNT(*), COALESCE(SUM(p.signed_amount), 0), COALESCE(SUM(f.s), 0)
    FROM ledger_project p
    LEFT JOIN (SELECT project_id, SUM(amount) AS s FROM ledger_fundarrival GROUP BY project_id) f
      ON f.project_id = p.id
   GROUP BY p.lead_unit_id;
"""

FOLD = f"""
WITH gone AS (DELETE FROM {TABLE} RETURNING unit_id, projects, signed, funds)
{INSERT}SELECT unit_id, SUM(projects), SUM(signed), SUM(funds) FROM gone GROUP BY unit_id {NONZERO}
"""

# An update counts only the rows whose unit or amount changed: the old state taken away, the new one added;
# the funds move only with the unit.
_MOVED = "o.lead_unit_id IS DISTINCT FROM n.lead_unit_id"
_UPDATE = f"""
  {INSERT}  SELECT unit_id, SUM(projects), SUM(signed), SUM(funds) FROM (
    SELECT o.lead_unit_id AS unit_id, -1 AS projects, -COALESCE(o.signed_amount, 0) AS signed,
           CASE WHEN {_MOVED} THEN -{FUNDS_OF.format(alias="o")} ELSE 0 END AS funds
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE {_MOVED} OR o.signed_amount IS DISTINCT FROM n.signed_amount
    UNION ALL
    SELECT n.lead_unit_id, 1, COALESCE(n.signed_amount, 0),
           CASE WHEN {_MOVED} THEN {FUNDS_OF.format(alias="n")} ELSE 0 END
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE {_MOVED} OR o.signed_amount IS DISTINCT FROM n.signed_amount
  ) AS change GROUP BY unit_id {NONZERO};"""


def _funds(rows: str, sign: str) -> str:
    return (f"SELECT p.lead_unit_id AS unit_id, 0 AS projects, 0 AS signed, {sign}SUM(r.amount) AS funds"
            f" FROM {rows} r JOIN ledger_project p ON p.id = r.project_id GROUP BY p.lead_unit_id")


INSTALL = f"""
CREATE FUNCTION ledger_unit_totals_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  {RECOUNT}
END $$;

CREATE FUNCTION ledger_unit_totals_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {INSERT}    SELECT lead_unit_id, COUNT(*), COALESCE(SUM(signed_amount), 0), 0 FROM new_rows GROUP BY lead_unit_id;
  ELSIF TG_OP = 'DELETE' THEN
    {INSERT}    SELECT o.lead_unit_id, -COUNT(*), -COALESCE(SUM(o.signed_amount), 0),
           -SUM({FUNDS_OF.format(alias="o")})
      FROM old_rows o GROUP BY o.lead_unit_id;
  ELSIF TG_OP = 'UPDATE' THEN
    {_UPDATE}
  ELSE  -- TRUNCATE
    PERFORM ledger_unit_totals_recount();
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION ledger_unit_totals_funds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {INSERT}    {_funds("new_rows", "")};
  ELSIF TG_OP = 'DELETE' THEN
    {INSERT}    {_funds("old_rows", "-")};
  ELSIF TG_OP = 'UPDATE' THEN
    {INSERT}    SELECT unit_id, 0, 0, SUM(funds) FROM ({_funds("old_rows", "-")} UNION ALL {_funds("new_rows", "")})
      AS change GROUP BY unit_id HAVING SUM(funds) <> 0;
  ELSE
    PERFORM ledger_unit_totals_recount();
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_totals_unit_project_ins AFTER INSERT ON ledger_project
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_project();
CREATE TRIGGER ledger_totals_unit_project_upd AFTER UPDATE ON ledger_project
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_project();
CREATE TRIGGER ledger_totals_unit_project_del AFTER DELETE ON ledger_project
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_project();
CREATE TRIGGER ledger_totals_unit_project_trunc AFTER TRUNCATE ON ledger_project
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_project();
CREATE TRIGGER ledger_totals_unit_funds_ins AFTER INSERT ON ledger_fundarrival
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_funds();
CREATE TRIGGER ledger_totals_unit_funds_upd AFTER UPDATE ON ledger_fundarrival
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_funds();
CREATE TRIGGER ledger_totals_unit_funds_del AFTER DELETE ON ledger_fundarrival
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_funds();
CREATE TRIGGER ledger_totals_unit_funds_trunc AFTER TRUNCATE ON ledger_fundarrival
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_unit_totals_funds();
SELECT ledger_unit_totals_recount();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS ledger_totals_unit_project_ins ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_unit_project_upd ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_unit_project_del ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_unit_project_trunc ON ledger_project;
DROP TRIGGER IF EXISTS ledger_totals_unit_funds_ins ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_totals_unit_funds_upd ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_totals_unit_funds_del ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_totals_unit_funds_trunc ON ledger_fundarrival;
DROP FUNCTION IF EXISTS ledger_unit_totals_project();
DROP FUNCTION IF EXISTS ledger_unit_totals_funds();
DROP FUNCTION IF EXISTS ledger_unit_totals_recount();
"""
