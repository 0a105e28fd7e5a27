// Command loadbench measures the Data API against the database's own
// limit, on loopback only, bounded in time:
//
//  1. start `creatorbase serve` on a temporary data dir;
//  2. load 1,000,000 rows owned by 10,000 users (index on user_id, RLS
//     policy on (select auth.uid()));
//  3. run pgbench with the same SQL as one pipelined RLS transaction — the
//     physical limit — and wrk against the HTTP endpoints (a list of 20
//     rows of a different user per request, and a single-row insert with
//     return=representation), at 8 and 32 connections;
//  4. print requests/s, p50 and p99, the Go process's CPU per request and
//     the HTTP / pgbench ratio.
//
// Usage: go run ./internal/tools/loadbench -bin bin/creatorbase [-duration 10s]
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
	flag.Parse()
	if err := run(*bin, *duration); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

type result struct {
	name        string
	conns       int
	rps         float64
	p50, p99    string
	cpuPerReqUS float64
}

func run(bin string, d time.Duration) error {
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
	serve := exec.Command(bin, "serve", "--data-dir", dataDir, "--listen", addr, "--db-max-conns", "32")
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
	first, err := keys.Sign(secret, jwt.MapClaims{"sub": userID(1), "role": "authenticated", "exp": time.Now().Add(time.Hour).Unix()})
	if err != nil {
		return err
	}
	if err := waitVisible(base, project.Anon, first); err != nil {
		return err
	}

	var results []result
	for _, conns := range []int{8, 32} {
		for _, kind := range []string{"list", "insert"} {
			r, err := pgbench(bins.Path("pgbench"), ownerURL, tmp, kind, conns, d)
			if err != nil {
				return err
			}
			results = append(results, r)
			h, err := wrk(base, project.Anon, tokensFile, tmp, kind, conns, d, serve.Process.Pid)
			if err != nil {
				return err
			}
			results = append(results, h)
		}
	}
	report(results)
	return nil
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
	_, err = conn.Exec(ctx, fmt.Sprintf(setupSQL, users, rowsPerUser))
	return err
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
		tok, err := keys.Sign(secret, jwt.MapClaims{"sub": userID(n), "role": "authenticated", "aud": "authenticated",
			"iat": now.Unix(), "exp": now.Add(2 * time.Hour).Unix()})
		if err != nil {
			return err
		}
		b.WriteString(tok + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
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

// The pgbench scripts run what the server runs: one pipelined
// transaction setting the role and claims, then the statement.
const pgbenchList = `\set u random(1, 10000)
\startpipeline
begin isolation level read committed read only;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{"role":"authenticated","sub":"' || md5('user' || :u)::uuid || '"}', true);
select coalesce(json_agg(t), '[]') from (select id, title, created_at from public.bench_items order by id desc limit 20) t;
commit;
\endpipeline
`

const pgbenchInsert = `\set u random(1, 10000)
\startpipeline
begin isolation level read committed;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{"role":"authenticated","sub":"' || md5('user' || :u)::uuid || '"}', true);
with pgrst_source as (insert into public.bench_items (title) values ('bench') returning id, user_id, title, created_at) select coalesce(json_agg(t), '[]') from pgrst_source t;
commit;
\endpipeline
`

var tpsRe = regexp.MustCompile(`tps = ([0-9.]+)`)
var latRe = regexp.MustCompile(`latency average = ([0-9.]+) ms`)

func pgbench(path, ownerURL, dir, kind string, conns int, d time.Duration) (result, error) {
	script := pgbenchList
	if kind == "insert" {
		script = pgbenchInsert
	}
	file := filepath.Join(dir, "pgbench-"+kind+".sql")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		return result{}, err
	}
	cmd := exec.Command(path, "-n", "-M", "extended", "-c", strconv.Itoa(conns), "-j", "2",
		"-T", strconv.Itoa(int(d.Seconds())), "-f", file, ownerURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("pgbench: %v: %s", err, out)
	}
	r := result{name: "pgbench " + kind, conns: conns, p50: "-", p99: "-"}
	if m := tpsRe.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := latRe.FindSubmatch(out); m != nil {
		r.p50 = string(m[1]) + "ms avg"
	}
	return r, nil
}

const wrkScript = `
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local kind = os.getenv("KIND")
request = function()
  local t = tokens[math.random(#tokens)]
  local h = { ["apikey"] = os.getenv("ANON"), ["Authorization"] = "Bearer " .. t }
  if kind == "insert" then
    h["Content-Type"] = "application/json"
    h["Prefer"] = "return=representation"
    return wrk.format("POST", "/rest/v1/bench_items", h, '{"title":"bench"}')
  end
  return wrk.format("GET", "/rest/v1/bench_items?select=id,title,created_at&order=id.desc&limit=20", h)
end
local bad = 0
response = function(status, headers, body)
  if status >= 300 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("NON2XX %d\n", summary.errors.status))
end
`

var (
	rpsRe = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p50Re = regexp.MustCompile(`\s50%\s+(\S+)`)
	p99Re = regexp.MustCompile(`\s99%\s+(\S+)`)
	badRe = regexp.MustCompile(`NON2XX (\d+)`)
)

func wrk(base, anon, tokens, dir, kind string, conns int, d time.Duration, pid int) (result, error) {
	file := filepath.Join(dir, "wrk.lua")
	if err := os.WriteFile(file, []byte(wrkScript), 0o644); err != nil {
		return result{}, err
	}
	before, err := cpuTicks(pid)
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command("wrk", "-t", "2", "-c", strconv.Itoa(conns), "-d", strconv.Itoa(int(d.Seconds()))+"s",
		"--latency", "-s", file, base)
	cmd.Env = append(os.Environ(), "TOKENS="+tokens, "KIND="+kind, "ANON="+anon)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	after, err := cpuTicks(pid)
	if err != nil {
		return result{}, err
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
		return r, fmt.Errorf("wrk %s: %s responses were not 2xx", kind, m[1])
	}
	if total := r.rps * d.Seconds(); total > 0 {
		r.cpuPerReqUS = float64(after-before) * 1e6 / 100 / total // clock ticks are 1/100 s
	}
	return r, nil
}

// cpuTicks is utime + stime of a process, in clock ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	u, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return u + st, nil
}

func report(rs []result) {
	fmt.Printf("\n%-16s %5s %10s %12s %10s %14s %8s\n", "run", "conns", "req/s", "p50", "p99", "CPU/req (Go)", "ratio")
	var limit float64
	for _, r := range rs {
		ratio := "-"
		cpu := "-"
		if strings.HasPrefix(r.name, "pgbench") {
			limit = r.rps
		} else {
			if limit > 0 {
				ratio = fmt.Sprintf("%.0f%%", 100*r.rps/limit)
			}
			cpu = fmt.Sprintf("%.0f µs", r.cpuPerReqUS)
		}
		fmt.Printf("%-16s %5d %10.0f %12s %10s %14s %8s\n", r.name, r.conns, r.rps, r.p50, r.p99, cpu, ratio)
	}
}
