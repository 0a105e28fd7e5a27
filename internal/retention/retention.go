// Package retention runs the data retention policies products register:
// rows past their keep-by date are archived to an archive table, deleted,
// or rolled up, in small batches so that no run holds long locks. A
// periodic job runs every policy; each run's counts go to the event store.
package retention

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Action is what happens to rows a policy selects.
type Action int

// The actions.
const (
	Delete    Action = iota // delete the rows
	Archive                 // move the rows to ArchiveTable (same columns), then delete them
	Aggregate               // run AggregateSQL over the batch, then delete the rows
)

func (a Action) String() string {
	return [...]string{"delete", "archive", "aggregate"}[a]
}

// Policy is one retention rule. Table, Where and AggregateSQL are SQL
// written by the product's developers, never by users: they are checked
// for shape at registration and spliced as written.
type Policy struct {
	Name         string // unique, e.g. "creatorpulse.rejected_drafts"
	Table        string // schema.table
	Where        string // which rows have expired, e.g. "status = 'rejected' and updated_at < now() - interval '90 days'"
	Action       Action
	ArchiveTable string // for Archive: schema.table with the same columns
	// AggregateSQL, for Aggregate, reads the expiring batch from a CTE
	// named expired (the deleted rows) and writes the summaries, e.g.
	// "insert into s.weekly (...) select ... from expired group by ... on conflict ... do update ...".
	AggregateSQL string
	BatchSize    int // rows per transaction (default 1000)
}

var qualified = regexp.MustCompile(`^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$`)

// ErrInvalidPolicy means a policy cannot run as written.
var ErrInvalidPolicy = errors.New("invalid retention policy")

func (p Policy) validate() error {
	switch {
	case p.Name == "":
		return fmt.Errorf("%w: no name", ErrInvalidPolicy)
	case !qualified.MatchString(p.Table):
		return fmt.Errorf("%w %s: table %q is not schema.table", ErrInvalidPolicy, p.Name, p.Table)
	case strings.TrimSpace(p.Where) == "":
		return fmt.Errorf("%w %s: no condition", ErrInvalidPolicy, p.Name)
	case p.Action == Archive && !qualified.MatchString(p.ArchiveTable):
		return fmt.Errorf("%w %s: archive table %q is not schema.table", ErrInvalidPolicy, p.Name, p.ArchiveTable)
	case p.Action == Aggregate && !strings.Contains(p.AggregateSQL, "expired"):
		return fmt.Errorf("%w %s: aggregate SQL must read the expired rows", ErrInvalidPolicy, p.Name)
	}
	return nil
}

// batchSQL moves one batch: lock up to $1 expired rows (skipping rows
// other runs hold), delete them, and hand them to the action.
func (p Policy) batchSQL() string {
	head := "with doomed as (select ctid from " + p.Table + " where " + p.Where +
		" limit $1 for update skip locked), expired as (delete from " + p.Table +
		" where ctid in (select ctid from doomed) returning *) "
	switch p.Action {
	case Archive:
		return head + "insert into " + p.ArchiveTable + " select * from expired"
	case Aggregate:
		return head + ", summary as (" + p.AggregateSQL + ") select count(*) from expired"
	default:
		return head + "select count(*) from expired"
	}
}

// Registry holds the policies.
type Registry struct{ policies []Policy }

// Register adds a policy; an invalid one is a programming error.
func (r *Registry) Register(p Policy) {
	if err := p.validate(); err != nil {
		panic(err)
	}
	for _, q := range r.policies {
		if q.Name == p.Name {
			panic("retention: policy " + p.Name + " registered twice")
		}
	}
	if p.BatchSize == 0 {
		p.BatchSize = 1000
	}
	r.policies = append(r.policies, p)
}

// Policies lists the registered policies.
func (r *Registry) Policies() []Policy { return append([]Policy(nil), r.policies...) }

// Beginner starts transactions (a pool).
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Result is what one policy did in one run.
type Result struct {
	Policy  string `json:"policy"`
	Action  string `json:"action"`
	Rows    int64  `json:"rows"`
	Batches int    `json:"batches"`
}

// RunPolicy runs one policy to completion, one batch per transaction.
func RunPolicy(ctx context.Context, db Beginner, p Policy) (Result, error) {
	res := Result{Policy: p.Name, Action: p.Action.String()}
	sql := p.batchSQL()
	for {
		tx, err := db.Begin(ctx)
		if err != nil {
			return res, err
		}
		n, err := runBatch(ctx, tx, p, sql)
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			return res, fmt.Errorf("retention %s: %w", p.Name, err)
		}
		if n == 0 {
			return res, nil
		}
		res.Rows += n
		res.Batches++
		if n < int64(p.BatchSize) {
			return res, nil
		}
	}
}

func runBatch(ctx context.Context, tx pgx.Tx, p Policy, sql string) (int64, error) {
	if p.Action == Archive {
		tag, err := tx.Exec(ctx, sql, p.BatchSize)
		return tag.RowsAffected(), err
	}
	var n int64
	err := tx.QueryRow(ctx, sql, p.BatchSize).Scan(&n)
	return n, err
}

// RunAll runs every policy and returns what each did. A failing policy
// does not stop the others; their errors are joined.
func (r *Registry) RunAll(ctx context.Context, db Beginner) ([]Result, error) {
	var results []Result
	var errs []error
	for _, p := range r.policies {
		res, err := RunPolicy(ctx, db, p)
		results = append(results, res)
		errs = append(errs, err)
	}
	return results, errors.Join(errs...)
}
