package retention_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/retention"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

const fixture = `
create schema app;
create table app.drafts (id int primary key, status text, created_at timestamptz);
create table app.drafts_archive (id int, status text, created_at timestamptz);
create table app.perf (id int primary key, day date, views int);
create table app.perf_monthly (month date primary key, views bigint);
insert into app.drafts select g, case when g % 2 = 0 then 'rejected' else 'published' end,
  timestamptz '2026-01-01' - make_interval(days => g) from generate_series(1, 200) g;
insert into app.perf select g, date '2025-01-01' + g, 10 from generate_series(1, 90) g;
`

func TestPolicies(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	owner := db.Owner(t)
	if _, err := owner.Exec(ctx, fixture); err != nil {
		t.Fatal(err)
	}
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := owner.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	var reg retention.Registry
	reg.Register(retention.Policy{Name: "archive_rejected", Table: "app.drafts",
		Where:  "status = 'rejected' and created_at < timestamptz '2026-01-01' - interval '90 days'",
		Action: retention.Archive, ArchiveTable: "app.drafts_archive", BatchSize: 7})
	reg.Register(retention.Policy{Name: "delete_old_published", Table: "app.drafts",
		Where: "status = 'published' and created_at < timestamptz '2026-01-01' - interval '150 days'", Action: retention.Delete, BatchSize: 10})
	reg.Register(retention.Policy{Name: "roll_up_perf", Table: "app.perf", Where: "day < date '2025-03-01'",
		Action: retention.Aggregate,
		AggregateSQL: `insert into app.perf_monthly select date_trunc('month', day)::date, sum(views) from expired group by 1
			on conflict (month) do update set views = app.perf_monthly.views + excluded.views`})

	results, err := reg.RunAll(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	// rejected: even days 92..200 → 55 rows, in batches of 7
	if results[0].Rows != 55 || results[0].Batches != 8 {
		t.Fatalf("archive: %+v", results[0])
	}
	if got := count("select count(*) from app.drafts_archive"); got != 55 {
		t.Fatalf("archived %d", got)
	}
	if got := count("select count(*) from app.drafts where status = 'rejected' and created_at < timestamptz '2026-01-01' - interval '90 days'"); got != 0 {
		t.Fatalf("%d expired rejected drafts left", got)
	}
	// published: odd days 151..199 → 25 rows
	if results[1].Rows != 25 {
		t.Fatalf("delete: %+v", results[1])
	}
	// perf: days Jan 2 .. Feb 28 → 58 rows rolled up into two months
	if results[2].Rows != 58 || count("select sum(views)::int from app.perf_monthly") != 580 {
		t.Fatalf("aggregate: %+v", results[2])
	}
	if got := count("select count(*) from app.perf"); got != 32 {
		t.Fatalf("perf rows left %d, want 32", got)
	}
	again, err := reg.RunAll(ctx, owner)
	if err != nil || again[0].Rows+again[1].Rows+again[2].Rows != 0 {
		t.Fatalf("second run changed rows: %+v %v", again, err)
	}
}

func TestRegisterRefusesInvalidPolicies(t *testing.T) {
	t.Parallel()
	bad := []retention.Policy{
		{Name: "", Table: "a.b", Where: "true"},
		{Name: "x", Table: "no_schema", Where: "true"},
		{Name: "x", Table: "a.b; drop table c", Where: "true"},
		{Name: "x", Table: "a.b", Where: " "},
		{Name: "x", Table: "a.b", Where: "true", Action: retention.Archive},
		{Name: "x", Table: "a.b", Where: "true", Action: retention.Aggregate, AggregateSQL: "select 1"},
	}
	for _, p := range bad {
		func() {
			defer func() {
				r := recover()
				err, _ := r.(error)
				if !errors.Is(err, retention.ErrInvalidPolicy) {
					t.Errorf("%+v: got %v, want ErrInvalidPolicy", p, r)
				}
			}()
			var reg retention.Registry
			reg.Register(p)
		}()
	}
}

func TestWorkerRecordsEachPolicy(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	owner := db.Owner(t)
	if _, err := owner.Exec(ctx, fixture); err != nil {
		t.Fatal(err)
	}
	var reg retention.Registry
	reg.Register(retention.Policy{Name: "app.perf_old", Table: "app.perf", Where: "day < date '2025-02-01'", Action: retention.Delete})
	w := &retention.Worker{Registry: &reg, Pool: owner}
	for attempt := 1; attempt <= 2; attempt++ { // a retry records what it did
		job := &river.Job[retention.JobArgs]{JobRow: &rivertype.JobRow{ID: 77, Attempt: attempt}}
		if err := w.Work(ctx, job); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := owner.Query(ctx, `select event_data ->> 'rows' from events.events
		where event_type = 'retention_run' and aggregate_id = 'app.perf_old' order by idempotency_key`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if strings.Join(got, ",") != "30,0" {
		t.Fatalf("recorded rows %v, want 30 then 0", got)
	}
}
