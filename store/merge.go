package store

import (
	"context"
	"fmt"
)

// mergeTables are the tables Merge copies, parents first.
var mergeTables = []string{"runs", "run_values", "run_rows", "returns", "sweeps", "sweep_runs"}

// Merge copies into s every run and sweep of the store file src that s
// does not hold, in one transaction. Runs are content-addressed, so a run
// both hold is the same run. A sweep both hold keeps s's statistics; run
// Analyze again once its runs are all in. src is brought to the current
// schema first.
func (s *Store) Merge(ctx context.Context, src string) error {
	other, err := Open(src)
	if err != nil {
		return err
	}
	if err := other.Close(); err != nil {
		return err
	}
	fail := func(err error) error { return fmt.Errorf("store %s: merge %s: %w", s.path, src, err) }
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS src`, src); err != nil {
		return fail(err)
	}
	defer conn.ExecContext(context.Background(), `DETACH DATABASE src`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	for _, t := range mergeTables {
		// The table names are ours; both stores have the same schema.
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO main."+t+" SELECT * FROM src."+t); err != nil {
			tx.Rollback()
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return nil
}
