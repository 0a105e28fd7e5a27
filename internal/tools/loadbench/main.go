// Command loadbench measures the Data API against the database's own
// limit, on loopback only, bounded in time:
//
//  1. start `creatorbase serve` on a temporary data dir;
//  2. load 1,000,000 rows owned by 10,000 users (index on user_id, RLS
//     policy on (select auth.uid()));
//  3. send one request of each kind with statement logging on and read
//     back, from the postmaster's log, the transaction the server ran
//     for it (capture.go);
//  4. run pgbench replaying exactly that transaction as one pipeline —
//     the physical limit — and wrk against the HTTP endpoints (a list of
//     20 rows of a different user per request, and a single-row insert
//     with return=representation), at 8 and 32 connections;
//  5. print requests/s, p50 and p99, the CPU per request of creatorbase
//     and of PostgreSQL, and the HTTP / pgbench ratio.
//
// Usage: go run ./internal/tools/loadbench -bin bin/creatorbase [-duration 10s] [-rounds 3] [-kinds list,insert] [-conns 8,32]
package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/keys"
	"github.com/creatorbase/creatorbase/internal/pgcluster"
)

const (
	users       = 10_000
	rowsPerUser = 100
)

func main() {
	bin := flag.String("bin", "bin/creatorbase", "the creatorbase binary")
	duration := flag.Duration("duration", 10*time.Second, "length of each run")
	kinds := flag.String("kinds", "list,insert", "which requests to measure")
	conns := flag.String("conns", "8,32", "connection counts to measure at")
	rounds := flag.Int("rounds", 3, "pgbench/wrk rounds per measurement (the median is reported)")
	flag.Parse()
	var cs []int
	for _, c := range strings.Split(*conns, ",") {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "loadbench: -conns wants numbers, e.g. 8,32")
			os.Exit(2)
		}
		cs = append(cs, n)
	}
	if *rounds < 1 {
		fmt.Fprintln(os.Stderr, "loadbench: -rounds must be at least 1")
		os.Exit(2)
	}
	if err := run(*bin, *duration, strings.Split(*kinds, ","), cs, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

// replay is a pgbench script and its -D variables.
type replay struct {
	kind    string
	script  string
	defines []string
}

// pair is one round: pgbench, then wrk on the same request.
type pair struct{ limit, http result }

func (p pair) ratio() float64 { return p.http.rps / p.limit.rps }

type result struct {
	name       string
	conns      int
	rps        float64
	p50, p99   string
	goUS, pgUS float64 // CPU per request of creatorbase and of PostgreSQL
}

func run(bin string, d time.Duration, kinds []string, conns []int, rounds int) error {
	for _, tool := range []string{"wrk"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found: apt-get install %s", tool, tool)
		}
	}
	bins, err := pgcluster.FindBinaries(context.Background())
	if err != nil {
		return err
	}
	tmp, err := dbtest.TempDataDir()
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dataDir := filepath.Join(tmp, "data")
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	// The server runs with its default pool: twice the CPUs.
	serve := exec.Command(bin, "serve", "--data-dir", dataDir, "--listen", addr)
	serve.Stdout, serve.Stderr = nil, nil
	if err := serve.Start(); err != nil {
		return err
	}
	defer func() {
		_ = serve.Process.Signal(os.Interrupt)
		_ = serve.Wait()
	}()
	base := "http://" + addr
	if err := waitHealthy(base); err != nil {
		return err
	}
	ownerURL, err := pgcluster.Attach(dataDir)
	if err != nil {
		return err
	}
	fmt.Println("loading 1,000,000 rows for 10,000 users ...")
	if err := load(ownerURL); err != nil {
		return err
	}
	secret, err := keys.LoadSecret(dataDir, "")
	if err != nil {
		return err
	}
	project, err := keys.Derive(secret)
	if err != nil {
		return err
	}
	tokensFile := filepath.Join(tmp, "tokens.txt")
	if err := writeTokens(tokensFile, secret); err != nil {
		return err
	}
	first, err := userToken(secret, 1, time.Now())
	if err != nil {
		return err
	}
	if err := waitVisible(base, project.Anon, first); err != nil {
		return err
	}

	var results [][]pair
	var replays []replay
	for _, kind := range kinds {
		if kind != "list" && kind != "insert" {
			return fmt.Errorf("unknown kind %q: list or insert", kind)
		}
		tx, err := capture(ownerURL, pgcluster.LogPath(dataDir), func() error { return sendOne(base, project.Anon, first, kind) })
		if err != nil {
			return fmt.Errorf("capture %s: %w", kind, err)
		}
		script, defines, err := pgbenchScript(tx, userID(1))
		if err != nil {
			return fmt.Errorf("replay %s: %w", kind, err)
		}
		replays = append(replays, replay{kind: kind, script: script, defines: defines})
		fmt.Printf("pgbench replays the %d statements the server sent for one %s request\n", len(tx), kind)
	}

	postmaster, err := postmasterPid(filepath.Join(dataDir, pgcluster.ClusterSubdir))
	if err != nil {
		return err
	}
	measure := func(load func() (result, error)) (result, error) {
		before, err := sampleCPU(serve.Process.Pid, postmaster)
		if err != nil {
			return result{}, err
		}
		r, err := load()
		if err != nil {
			return result{}, err
		}
		after, err := sampleCPU(serve.Process.Pid, postmaster)
		if err != nil {
			return result{}, err
		}
		n := r.rps * d.Seconds()
		r.goUS = perRequestUS(after.goTicks-before.goTicks, n)
		r.pgUS = perRequestUS(after.pgTicks-before.pgTicks, n)
		return r, nil
	}
	for _, conns := range conns {
		for _, rep := range replays {
			// pgbench and wrk take turns, so that a slow spell of the
			// machine falls on both; the median round is reported.
			var measured []pair
			for range rounds {
				limit, err := measure(func() (result, error) {
					r, err := pgbench(bins.Path("pgbench"), ownerURL, tmp, rep, conns, d)
					if err == nil {
						// its backends' CPU is counted once the postmaster has reaped them
						err = waitBackendsGone(ownerURL, "pgbench")
					}
					return r, err
				})
				if err != nil {
					return err
				}
				h, err := measure(func() (result, error) { return wrk(base, project.Anon, tokensFile, tmp, rep.kind, conns, d) })
				if err != nil {
					return err
				}
				measured = append(measured, pair{limit, h})
			}
			results = append(results, measured)
		}
	}
	report(results)
	return nil
}

// waitBackendsGone waits until no session of the application is left,
// and a moment more for the postmaster to reap the processes.
func waitBackendsGone(ownerURL, app string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for range 100 {
		var n int
		if err := conn.QueryRow(ctx, "select count(*) from pg_stat_activity where application_name = $1", app).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			time.Sleep(200 * time.Millisecond)
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s sessions did not end", app)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitHealthy(base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("serve did not become healthy")
}

const setupSQL = `
create table public.bench_items (
  id bigserial primary key,
  user_id uuid not null default auth.uid(),
  title text not null,
  created_at timestamptz not null default now()
);
insert into public.bench_items (user_id, title)
  select md5('user' || u)::uuid, 'item ' || i
  from generate_series(1, %d) u, generate_series(1, %d) i;
create index bench_items_user_id_idx on public.bench_items (user_id, id);
alter table public.bench_items enable row level security;
create policy bench_items_own on public.bench_items for all to authenticated
  using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
grant select, insert on public.bench_items to authenticated;
grant usage on sequence public.bench_items_id_seq to authenticated;
analyze public.bench_items;
notify pgrst, 'reload schema';`

func load(ownerURL string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err = conn.Exec(ctx, fmt.Sprintf(setupSQL, users, rowsPerUser)); err != nil {
		return err
	}
	// Settle the table before measuring, so that neither side meets
	// autovacuum's first pass over a million fresh rows or their hint bits.
	for _, sql := range []string{"vacuum (freeze, analyze) public.bench_items", "checkpoint"} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}

// userID is the uuid the SQL builds with md5('user' || n)::uuid.
func userID(n int) string {
	sum := md5.Sum([]byte("user" + strconv.Itoa(n)))
	h := hex.EncodeToString(sum[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func writeTokens(path string, secret []byte) error {
	var b strings.Builder
	now := time.Now()
	for n := 1; n <= users; n++ {
		tok, err := userToken(secret, n, now)
		if err != nil {
			return err
		}
		b.WriteString(tok + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// userToken is user n's access token, shaped as the Auth API issues them.
func userToken(secret []byte, n int, now time.Time) (string, error) {
	return keys.Sign(secret, jwt.MapClaims{"sub": userID(n), "role": "authenticated", "aud": "authenticated",
		"iat": now.Unix(), "exp": now.Add(2 * time.Hour).Unix()})
}

func waitVisible(base, anon, token string) error {
	for range 100 {
		req, _ := http.NewRequest("GET", base+"/rest/v1/bench_items?select=id&limit=1", nil)
		req.Header.Set("apikey", anon)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("bench_items never appeared in the schema cache")
}

// The requests wrk sends; pgbench replays what the server ran for them.
const (
	listPath   = "/rest/v1/bench_items?select=id,title,created_at&order=id.desc&limit=20"
	insertPath = "/rest/v1/bench_items"
	insertBody = `{"title":"bench"}`
)

var tpsRe = regexp.MustCompile(`tps = ([0-9.]+)`)

func pgbench(path, ownerURL, dir string, rep replay, conns int, d time.Duration) (result, error) {
	file := filepath.Join(dir, "pgbench-"+rep.kind+".sql")
	if err := os.WriteFile(file, []byte(rep.script), 0o644); err != nil {
		return result{}, err
	}
	logs := filepath.Join(dir, "pgbench-log")
	args := append([]string{"-n", "-M", "extended", "-c", strconv.Itoa(conns), "-j", "2",
		"-T", strconv.Itoa(int(d.Seconds())), "-l", "--log-prefix", logs, "-f", file}, rep.defines...)
	cmd := exec.Command(path, append(args, ownerURL)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("pgbench: %v: %s", err, out)
	}
	r := result{name: "pgbench " + rep.kind, conns: conns}
	if m := tpsRe.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	r.p50, r.p99, err = pgbenchLatencies(logs)
	return r, err
}

// pgbenchLatencies reads the per-transaction logs pgbench -l wrote (the
// third field is the latency in µs), removes them, and returns the median
// and the 99th percentile in wrk's notation.
func pgbenchLatencies(prefix string) (p50, p99 string, err error) {
	files, err := filepath.Glob(prefix + ".*")
	if err != nil {
		return "", "", err
	}
	var us []int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", "", err
		}
		_ = os.Remove(f)
		for _, line := range strings.Split(string(b), "\n") {
			if fields := strings.Fields(line); len(fields) >= 3 {
				if n, err := strconv.Atoi(fields[2]); err == nil {
					us = append(us, n)
				}
			}
		}
	}
	if len(us) == 0 {
		return "", "", errors.New("pgbench wrote no transaction log")
	}
	sort.Ints(us)
	at := func(q float64) string { return fmt.Sprintf("%.2fms", float64(us[int(q*float64(len(us)-1))])/1000) }
	return at(0.50), at(0.99), nil
}

// wrkScript formats every user's request once, in init, so that the
// load generator spends its CPU on sending, not on building requests.
const wrkScript = `
local requests = {}
init = function(args)
  local kind = os.getenv("KIND")
  for t in io.lines(os.getenv("TOKENS")) do
    local h = { ["apikey"] = os.getenv("ANON"), ["Authorization"] = "Bearer " .. t }
    if kind == "insert" then
      h["Content-Type"] = "application/json"
      h["Prefer"] = "return=representation"
      requests[#requests + 1] = wrk.format("POST", os.getenv("INSERT_PATH"), h, os.getenv("INSERT_BODY"))
    else
      requests[#requests + 1] = wrk.format("GET", os.getenv("LIST_PATH"), h)
    end
  end
end
request = function()
  return requests[math.random(#requests)]
end
done = function(summary, latency, requests)
  io.write(string.format("HTTPERRORS %d\n", summary.errors.status))
end
`

var (
	rpsRe = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p50Re = regexp.MustCompile(`\s50%\s+(\S+)`)
	p99Re = regexp.MustCompile(`\s99%\s+(\S+)`)
	badRe = regexp.MustCompile(`HTTPERRORS (\d+)`)
)

func wrk(base, anon, tokens, dir, kind string, conns int, d time.Duration) (result, error) {
	file := filepath.Join(dir, "wrk.lua")
	if err := os.WriteFile(file, []byte(wrkScript), 0o644); err != nil {
		return result{}, err
	}
	cmd := exec.Command("wrk", "-t", "2", "-c", strconv.Itoa(conns), "-d", strconv.Itoa(int(d.Seconds()))+"s",
		"--latency", "-s", file, base)
	cmd.Env = append(os.Environ(), "TOKENS="+tokens, "KIND="+kind, "ANON="+anon,
		"LIST_PATH="+listPath, "INSERT_PATH="+insertPath, "INSERT_BODY="+insertBody)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	r := result{name: "http " + kind, conns: conns}
	if m := rpsRe.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := p50Re.FindSubmatch(out); m != nil {
		r.p50 = string(m[1])
	}
	if m := p99Re.FindSubmatch(out); m != nil {
		r.p99 = string(m[1])
	}
	if m := badRe.FindSubmatch(out); m != nil && string(m[1]) != "0" {
		return r, fmt.Errorf("wrk %s: %s responses had an error status", kind, m[1])
	}
	return r, nil
}

func report(runs [][]pair) {
	fmt.Printf("\n%-16s %5s %9s %12s %9s %9s %9s %7s %10s\n", "run", "conns", "req/s", "p50", "p99", "Go CPU", "PG CPU", "ratio", "range")
	row := func(r result, goCPU, ratio, spread string) {
		fmt.Printf("%-16s %5d %9.0f %12s %9s %9s %9s %7s %10s\n", r.name, r.conns, r.rps, r.p50, r.p99, goCPU,
			fmt.Sprintf("%.0f µs", r.pgUS), ratio, spread)
	}
	for _, rounds := range runs {
		sort.Slice(rounds, func(i, j int) bool { return rounds[i].ratio() < rounds[j].ratio() })
		mid := rounds[len(rounds)/2]
		spread := "-"
		if len(rounds) > 1 {
			spread = fmt.Sprintf("%.0f–%.0f%%", 100*rounds[0].ratio(), 100*rounds[len(rounds)-1].ratio())
		}
		row(mid.limit, "-", "-", "")
		row(mid.http, fmt.Sprintf("%.0f µs", mid.http.goUS), fmt.Sprintf("%.0f%%", 100*mid.ratio()), spread)
	}
	fmt.Println("\nEach line is the median of the rounds by ratio; range is the lowest and highest ratio seen.")
	fmt.Println("Go CPU and PG CPU are per request: creatorbase's process, and every PostgreSQL process.")
}
