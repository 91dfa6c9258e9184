"""The PostgreSQL triggers behind `ledger.summary`, installed by migration 0014 (kept apart from the models so
the migration does not import them).

Every trigger is statement-level with transition tables: one COPY of 2M rows fires it once and its change is
grouped in one pass, and no row-by-row work is added to the import or the generator. Each figure is written
as the contribution of a set of rows: `+` for rows added, `-` for rows taken away, both for an update (only the
rows whose counted columns changed). A fund arrival counts when its project exists and is live; a project
removed or turned 终止 takes its funds with it. A new project brings none: every write path writes a project
before its funds and shares (the services, the import, the generator). Looking for them cost the generator a
scan of every fund row at each batch (its indexes are set aside while it loads), minutes at 2M. A fund or share
written before its own project in one transaction — only possible by hand, under deferred foreign keys — is
counted by `SELECT ledger_summary_recount()` (docs/deploy.md)."""

LIVE = "status <> 'terminated'"


NO_FUNDS = "(SELECT * FROM ledger_project WHERE false)"


def _contribution(rows: str, sign: str, funds_of: str | None = None) -> str:
    """The rows of ledger_summary_delta that the live projects in `rows` add (sign '') or take away ('-'), with
    the funds already recorded for the live projects in `funds_of` (default: the same rows)."""
    funds_of = funds_of or rows
    return f"""
  SELECT 'u', date_trunc('month', signed_on)::date, lead_unit_id, '', {sign}SUM(signed_amount), {sign}COUNT(*),
         {sign}COALESCE(SUM(foreign_amount) FILTER (WHERE is_foreign), 0), {sign}COUNT(*) FILTER (WHERE is_foreign)
    FROM {rows} WHERE {LIVE} AND signed_on IS NOT NULL GROUP BY 2, 3
  UNION ALL
  SELECT 'i', signed_on, 0, industry, {sign}SUM(signed_amount), {sign}COUNT(*), 0, 0
    FROM {rows} WHERE {LIVE} AND signed_on IS NOT NULL GROUP BY 2, 4
  UNION ALL
  SELECT 'o', signed_on, 0, investor_origin, {sign}SUM(signed_amount), {sign}COUNT(*), 0, 0
    FROM {rows} WHERE {LIVE} AND signed_on IS NOT NULL GROUP BY 2, 4
  UNION ALL
  SELECT 's', started_on, 0, '', 0, {sign}COUNT(*), 0, 0 FROM {rows} WHERE {LIVE} AND started_on IS NOT NULL GROUP BY 2
  UNION ALL
  SELECT 'c', completed_on, 0, '', 0, {sign}COUNT(*), 0, 0
    FROM {rows} WHERE {LIVE} AND completed_on IS NOT NULL GROUP BY 2
  UNION ALL
  SELECT 'p', producing_on, 0, '', 0, {sign}COUNT(*), 0, 0
    FROM {rows} WHERE {LIVE} AND producing_on IS NOT NULL GROUP BY 2
  UNION ALL
  SELECT 'f', f.date, 0, '', {sign}SUM(f.amount), {sign}COUNT(*), 0, 0
    FROM ledger_fundarrival f JOIN {funds_of} r ON r.id = f.project_id WHERE r.{LIVE} GROUP BY 2"""


def _funds(rows: str, sign: str) -> str:
    """The funds in `rows` (fund arrivals) whose project exists and is live."""
    return f"""
  SELECT 'f', f.date, 0, '', {sign}SUM(f.amount), {sign}COUNT(*), 0, 0
    FROM {rows} f JOIN ledger_project p ON p.id = f.project_id WHERE p.{LIVE} GROUP BY 2"""


INSERT = "INSERT INTO ledger_summary_delta (kind, day, unit_id, label, amount, n, foreign_amount, foreign_n, folded)\n"
COLUMNS = "kind, day, unit_id, label, amount, n, foreign_amount, foreign_n"
# The columns of a project the figures depend on: an update that changes none of them adds nothing.
COUNTED = ("status", "signed_on", "signed_amount", "lead_unit_id", "industry", "investor_origin", "is_foreign",
           "foreign_amount", "started_on", "completed_on", "producing_on")
CHANGED = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in COUNTED)


def _add(select: str) -> str:
    return f"{INSERT}SELECT {COLUMNS}, false FROM ({select}) AS change (kind, day, unit_id, label, amount, n, " \
           "foreign_amount, foreign_n) WHERE amount <> 0 OR n <> 0 OR foreign_amount <> 0 OR foreign_n <> 0;"


# A project is in ledger_shared_project while it has a share: its date, whether it is live and whether its
# holders (the introducing unit and the share units that have a group) fall in two or more groups. The same
# test as the cockpit's `_conflicting` and the assessment's `conflicting_projects` under the units' groups.
SHARED_COUNTS = """
  INSERT INTO ledger_summary_delta (kind, day, unit_id, label, amount, n, foreign_amount, foreign_n, folded)
  SELECT kind, signed_on, 0, '', 0, {sign}n, 0, 0, false FROM (
    SELECT 'h' AS kind, signed_on, COUNT(*) AS n FROM ledger_shared_project
     WHERE project_id = ANY(ids) AND live AND signed_on IS NOT NULL GROUP BY signed_on
    UNION ALL
    SELECT 'x', signed_on, COUNT(*) FROM ledger_shared_project
     WHERE project_id = ANY(ids) AND live AND conflict AND signed_on IS NOT NULL GROUP BY signed_on) AS counts;"""
# The shared (h) and conflicting (x) live projects by signing day are figures too: taken away for the rows
# refreshed, then added for their new state.
REFRESH_SHARED = f"""
CREATE FUNCTION ledger_shared_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  {SHARED_COUNTS.format(sign="-")}
  DELETE FROM ledger_shared_project WHERE project_id = ANY(ids);
  INSERT INTO ledger_shared_project (project_id, code, signed_on, live, conflict)
  SELECT p.id, p.code, p.signed_on, p.status <> 'terminated',
         COUNT(DISTINCT su.group_id) >= 2
         OR COUNT(*) FILTER (WHERE su.group_id IS NOT NULL AND lu.group_id IS NOT NULL
                                   AND su.group_id <> lu.group_id) > 0
    FROM ledger_project p JOIN ledger_projectshare s ON s.project_id = p.id
    JOIN orgs_unit su ON su.id = s.unit_id JOIN orgs_unit lu ON lu.id = p.lead_unit_id
   WHERE p.id = ANY(ids)
   GROUP BY p.id;
  {SHARED_COUNTS.format(sign="")}
$$;
"""

RECOUNT = f"""
    DELETE FROM ledger_summary_delta;
    {_add(_contribution("ledger_project", ""))}
    DELETE FROM ledger_shared_project;
    PERFORM ledger_shared_refresh(ARRAY(SELECT DISTINCT project_id FROM ledger_projectshare));
"""

INSTALL = f"""
{REFRESH_SHARED}

CREATE FUNCTION ledger_summary_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  {RECOUNT}
END $$;

CREATE FUNCTION ledger_summary_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN  -- a new project has no funds or shares yet (they are written after it)
    {_add(_contribution("new_rows", "", funds_of=NO_FUNDS))}
  ELSIF TG_OP = 'DELETE' THEN
    {_add(_contribution("old_rows", "-"))}
    PERFORM ledger_shared_refresh(ARRAY(
      SELECT id FROM old_rows o WHERE EXISTS (SELECT 1 FROM ledger_shared_project h WHERE h.project_id = o.id)));
  ELSIF TG_OP = 'UPDATE' THEN
    -- only the rows whose counted columns changed; their funds move only when the project turns live or 终止
    WITH changed AS (SELECT n.id, o.{LIVE} AS was_live, n.{LIVE} AS is_live
                       FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}),
         old_c AS (SELECT o.* FROM old_rows o JOIN changed c ON c.id = o.id),
         new_c AS (SELECT n.* FROM new_rows n JOIN changed c ON c.id = n.id),
         old_flip AS (SELECT o.* FROM old_c o JOIN changed c ON c.id = o.id WHERE c.was_live <> c.is_live),
         new_flip AS (SELECT n.* FROM new_c n JOIN changed c ON c.id = n.id WHERE c.was_live <> c.is_live)
    {_add(_contribution("old_c", "-", "old_flip") + " UNION ALL " + _contribution("new_c", "", "new_flip"))}
    PERFORM ledger_shared_refresh(ARRAY(
      SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
       WHERE (o.code, o.signed_on, o.status, o.lead_unit_id)
             IS DISTINCT FROM (n.code, n.signed_on, n.status, n.lead_unit_id)
         AND EXISTS (SELECT 1 FROM ledger_projectshare s WHERE s.project_id = n.id)));
  ELSE  -- TRUNCATE
    PERFORM ledger_summary_recount();
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION ledger_summary_funds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_add(_funds("new_rows", ""))}
  ELSIF TG_OP = 'DELETE' THEN
    {_add(_funds("old_rows", "-"))}
  ELSIF TG_OP = 'UPDATE' THEN
    {_add(_funds("old_rows", "-") + " UNION ALL " + _funds("new_rows", ""))}
  ELSE
    PERFORM ledger_summary_recount();
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION ledger_summary_shares() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM ledger_shared_refresh(ARRAY(SELECT DISTINCT project_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM ledger_shared_refresh(ARRAY(SELECT DISTINCT project_id FROM old_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM ledger_shared_refresh(ARRAY(SELECT project_id FROM old_rows UNION SELECT project_id FROM new_rows));
  ELSE  -- TRUNCATE: no project is shared any more
    DELETE FROM ledger_summary_delta WHERE kind IN ('h', 'x');
    DELETE FROM ledger_shared_project;
  END IF;
  RETURN NULL;
END $$;

-- A unit moved to another group (or out of every group) changes the conflicts of the projects it holds.
CREATE FUNCTION ledger_summary_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_shared_refresh(ARRAY(
    WITH moved AS (SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
                   WHERE o.group_id IS DISTINCT FROM n.group_id)
    SELECT s.project_id FROM ledger_projectshare s JOIN moved m ON m.id = s.unit_id
    UNION
    SELECT s.project_id FROM ledger_projectshare s JOIN ledger_project p ON p.id = s.project_id
      JOIN moved m ON m.id = p.lead_unit_id));
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_summary_project_ins AFTER INSERT ON ledger_project
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_project();
CREATE TRIGGER ledger_summary_project_upd AFTER UPDATE ON ledger_project
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_project();
CREATE TRIGGER ledger_summary_project_del AFTER DELETE ON ledger_project
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_project();
CREATE TRIGGER ledger_summary_project_trunc AFTER TRUNCATE ON ledger_project
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_project();
CREATE TRIGGER ledger_summary_funds_ins AFTER INSERT ON ledger_fundarrival
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_funds();
CREATE TRIGGER ledger_summary_funds_upd AFTER UPDATE ON ledger_fundarrival
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_funds();
CREATE TRIGGER ledger_summary_funds_del AFTER DELETE ON ledger_fundarrival
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_funds();
CREATE TRIGGER ledger_summary_funds_trunc AFTER TRUNCATE ON ledger_fundarrival
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_funds();
CREATE TRIGGER ledger_summary_shares_ins AFTER INSERT ON ledger_projectshare
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_shares();
CREATE TRIGGER ledger_summary_shares_upd AFTER UPDATE ON ledger_projectshare
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_shares();
CREATE TRIGGER ledger_summary_shares_del AFTER DELETE ON ledger_projectshare
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_shares();
CREATE TRIGGER ledger_summary_shares_trunc AFTER TRUNCATE ON ledger_projectshare
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_shares();
CREATE TRIGGER ledger_summary_units_upd AFTER UPDATE ON orgs_unit
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_summary_units();
SELECT ledger_summary_recount();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS ledger_summary_project_ins ON ledger_project;
DROP TRIGGER IF EXISTS ledger_summary_project_upd ON ledger_project;
DROP TRIGGER IF EXISTS ledger_summary_project_del ON ledger_project;
DROP TRIGGER IF EXISTS ledger_summary_project_trunc ON ledger_project;
DROP TRIGGER IF EXISTS ledger_summary_funds_ins ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_summary_funds_upd ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_summary_funds_del ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_summary_funds_trunc ON ledger_fundarrival;
DROP TRIGGER IF EXISTS ledger_summary_shares_ins ON ledger_projectshare;
DROP TRIGGER IF EXISTS ledger_summary_shares_upd ON ledger_projectshare;
DROP TRIGGER IF EXISTS ledger_summary_shares_del ON ledger_projectshare;
DROP TRIGGER IF EXISTS ledger_summary_shares_trunc ON ledger_projectshare;
DROP TRIGGER IF EXISTS ledger_summary_units_upd ON orgs_unit;
DROP FUNCTION IF EXISTS ledger_summary_project();
DROP FUNCTION IF EXISTS ledger_summary_funds();
DROP FUNCTION IF EXISTS ledger_summary_shares();
DROP FUNCTION IF EXISTS ledger_summary_units();
DROP FUNCTION IF EXISTS ledger_summary_recount();
DROP FUNCTION IF EXISTS ledger_shared_refresh(bigint[]);
"""
