package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations bring a store's schema from version i to i+1, in order; the
// version is the file's PRAGMA user_version (0 for a new file). A
// migration runs in one transaction with the version's update, so a store
// is always at one version. Migrations are only ever appended.
var migrations = []string{
	// 1: runs and what they produced.
	`CREATE TABLE runs (
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
	CREATE TABLE equity (run_id TEXT NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;`,
	// 2: sweeps and their membership.
	`CREATE TABLE sweeps (
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
	CREATE INDEX sweep_runs_run ON sweep_runs(run_id);`,
	// 3: each run's per-bar returns, for the probability of backtest
	// overfitting.
	`CREATE TABLE returns (
		run_id TEXT PRIMARY KEY REFERENCES runs(id),
		data   BLOB NOT NULL
	);`,
}

// Version is the schema version Open brings a store to.
var Version = len(migrations)

// migrate applies the migrations after the store's version, up to and
// including version upto.
func migrate(ctx context.Context, db *sql.DB, upto int) error {
	for {
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
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		// PRAGMA takes no parameter; v+1 is a number of ours.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
}
