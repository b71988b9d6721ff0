package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migration brings a store's schema from one version to the next: its
// statements, then, when set, its function and the statements after it,
// in the same transaction.
type migration struct {
	sql   string
	fn    func(ctx context.Context, tx *sql.Tx) error
	after string
}

// migrations bring a store's schema from version i to i+1, in order; the
// version is the file's PRAGMA user_version (0 for a new file). The
// migrations a store needs run in one transaction with the version's
// update (see migrate). Migrations are only ever appended.
var migrations = []migration{
	// 1: runs and what they produced.
	{sql: `CREATE TABLE runs (
		id          TEXT PRIMARY KEY,
		config      TEXT NOT NULL,
		manifest    TEXT NOT NULL,
		status      TEXT NOT NULL,
		partial     INTEGER NOT NULL,
		error       TEXT NOT NULL,
		keep        TEXT NOT NULL,
		started     TEXT NOT NULL,
		seconds     REAL NOT NULL,
		returns_len INTEGER NOT NULL,
		returns_n   INTEGER NOT NULL,
		returns_mean REAL,
		returns_s2  REAL,
		returns_s3  REAL,
		returns_s4  REAL
	) WITHOUT ROWID;
	CREATE TABLE parameters (
		run_id TEXT NOT NULL REFERENCES runs(id),
		path   TEXT NOT NULL,
		value  TEXT NOT NULL,
		PRIMARY KEY (run_id, path)
	) WITHOUT ROWID;
	CREATE TABLE metrics (
		run_id TEXT NOT NULL REFERENCES runs(id),
		name   TEXT NOT NULL,
		text   TEXT NOT NULL,
		value  REAL,
		PRIMARY KEY (run_id, name)
	) WITHOUT ROWID;
	CREATE TABLE trades (run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
	CREATE TABLE orders (run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
	CREATE TABLE fills  (run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
	CREATE TABLE equity (run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;`},
	// 2: sweeps and their membership.
	{sql: `CREATE TABLE sweeps (
		id         TEXT PRIMARY KEY,
		space      TEXT NOT NULL,
		trials     INTEGER NOT NULL,
		statistics TEXT NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE sweep_runs (
		sweep_id TEXT NOT NULL REFERENCES sweeps(id),
		run_id   TEXT NOT NULL REFERENCES runs(id),
		deflated_sharpe REAL,
		PRIMARY KEY (sweep_id, run_id)
	) WITHOUT ROWID;
	CREATE INDEX sweep_runs_run ON sweep_runs(run_id);`},
	// 3: each run's per-bar returns, for the probability of backtest
	// overfitting.
	{sql: `CREATE TABLE returns (
		run_id TEXT PRIMARY KEY REFERENCES runs(id),
		data   BLOB NOT NULL
	);`},
	// 4: a run's parameters, metrics and each table of its rows as one
	// TEXT value each (see values.go), in place of a row each, and the
	// views parameters and metrics that show the values as version 3's
	// tables of those names did. The migration moves version 3's rows
	// (see moveValues). The view metrics reads a number's JSON text (or
	// true or false) as json_extract gives it with two paths, a JSON
	// array of the value twice, whose elements keep their text: the
	// operator -> would read it too, but SQLite before 3.38 (Ubuntu
	// 22.04's) cannot parse it, and a schema it cannot parse opens no
	// table of the file.
	{sql: `CREATE TABLE run_values (
		run_id     TEXT PRIMARY KEY REFERENCES runs(id),
		parameters TEXT NOT NULL,
		metrics    TEXT NOT NULL
	);
	CREATE TABLE run_rows (
		run_id TEXT NOT NULL REFERENCES runs(id),
		kind   TEXT NOT NULL,
		data   TEXT NOT NULL,
		PRIMARY KEY (run_id, kind)
	);`, fn: moveValues, after: `CREATE VIEW parameters (run_id, path, value) AS
		SELECT v.run_id, p.key, p.value FROM run_values v, json_each(v.parameters) p;
	CREATE VIEW metrics (run_id, name, value, text) AS
		SELECT v.run_id, m.key,
			CASE WHEN m.type IN ('integer', 'real') THEN m.atom
				WHEN m.type = 'text' AND m.atom GLOB '*[0-9]*' AND ltrim(m.atom, '-') GLOB '[0-9]*'
					AND trim(ltrim(m.atom, '-'), '0123456789.') = '' AND length(m.atom) - length(replace(m.atom, '.', '')) <= 1
					THEN CAST(m.atom AS REAL) END,
			CASE WHEN m.type = 'text' THEN m.atom ELSE (
				SELECT substr(pair, 2, (length(pair) - 3) / 2)
				FROM (SELECT json_extract(v.metrics, m.fullkey, m.fullkey) AS pair)
			) END
		FROM run_values v, json_each(v.metrics) m;`},
}

// Version is the schema version Open brings a store to.
var Version = len(migrations)

// migrate applies the migrations after the store's version, up to and
// including version upto, in order, all in one transaction with the
// version's update: a new store is created by one commit, and a store is
// always at one version.
func migrate(ctx context.Context, db *sql.DB, upto int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		tx.Rollback()
		return fmt.Errorf("migrate: %w", err)
	}
	if v > len(migrations) {
		tx.Rollback()
		return fmt.Errorf("the store's schema is version %d, newer than this program's %d: use a newer quantloop", v, len(migrations))
	}
	if v >= upto {
		return tx.Rollback()
	}
	for ; v < upto; v++ {
		if err := migrations[v].apply(ctx, tx); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
	// PRAGMA takes no parameter; upto is a number of ours.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", upto)); err != nil {
		tx.Rollback()
		return fmt.Errorf("migrate to version %d: %w", upto, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to version %d: %w", upto, err)
	}
	return nil
}

// apply runs m in tx: its statements, its function and the statements
// after it.
func (m migration) apply(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if m.fn != nil {
		if err := m.fn(ctx, tx); err != nil {
			return err
		}
	}
	if m.after != "" {
		if _, err := tx.ExecContext(ctx, m.after); err != nil {
			return err
		}
	}
	return nil
}

// moveValues moves the parameters, metrics and rows of version 3's tables
// into run_values and run_rows and drops those tables. Version 3 kept no
// mark of a metric that results.json holds as a string though its text is
// a number, so a money amount moves as a JSON number.
func moveValues(ctx context.Context, tx *sql.Tx) error {
	params := map[string]map[string]string{}
	ms := map[string]map[string]Value{}
	ids, err := queryStrings(ctx, tx, `SELECT id FROM runs ORDER BY id`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		params[id], ms[id] = map[string]string{}, map[string]Value{}
	}
	rows, err := tx.QueryContext(ctx, `SELECT run_id, path, value FROM parameters`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, path, value string
		if err := rows.Scan(&id, &path, &value); err != nil {
			rows.Close()
			return err
		}
		if p := params[id]; p != nil {
			p[path] = value
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	if rows, err = tx.QueryContext(ctx, `SELECT run_id, name, text, value FROM metrics`); err != nil {
		return err
	}
	for rows.Next() {
		var id, name, text string
		var num sql.NullFloat64
		if err := rows.Scan(&id, &name, &text, &num); err != nil {
			rows.Close()
			return err
		}
		if m := ms[id]; m != nil {
			m[name] = Value{Text: text, Num: num.Float64, Numeric: num.Valid}
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_values (run_id, parameters, metrics) VALUES (?, ?, ?)`,
			id, string(appendParams(nil, params[id])), string(appendMetrics(nil, ms[id]))); err != nil {
			return err
		}
	}
	for _, t := range []Table{Trades, Orders, Fills, Equity} {
		// The table names are ours.
		rows, err := tx.QueryContext(ctx, "SELECT run_id, row FROM "+string(t)+" ORDER BY run_id, seq")
		if err != nil {
			return err
		}
		var id string
		var kept []string
		flush := func() error {
			if len(kept) == 0 {
				return nil
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO run_rows (run_id, kind, data) VALUES (?, ?, ?)`, id, string(t), joinRows(kept))
			kept = kept[:0]
			return err
		}
		for rows.Next() {
			var rid, row string
			if err := rows.Scan(&rid, &row); err != nil {
				rows.Close()
				return err
			}
			if rid != id {
				if err := flush(); err != nil {
					rows.Close()
					return err
				}
				id = rid
			}
			kept = append(kept, row)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE parameters; DROP TABLE metrics; DROP TABLE trades; DROP TABLE orders; DROP TABLE fills; DROP TABLE equity;`)
	return err
}

// queryStrings returns the one string column of query's rows.
func queryStrings(ctx context.Context, tx *sql.Tx, query string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return scanStrings(rows)
}

// closeRows closes rows and returns the error that ended them, if any.
func closeRows(rows *sql.Rows) error {
	rows.Close()
	return rows.Err()
}
