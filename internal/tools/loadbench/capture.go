package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
)

// statement is one statement the server sent, with its parameters as
// PostgreSQL logged them (text; nil for NULL).
type statement struct {
	sql    string
	params []*string
}

// capture turns statement logging on, sends one request of the kind, and
// returns the transaction the server ran for it, read back from the
// postmaster's log. pgbench then replays exactly that, so the "physical
// limit" is measured on the server's own SQL, not on a hand-written
// approximation of it.
func capture(ownerURL, logPath string, send func() error) ([]statement, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	logging := func(on bool) error {
		sql := "alter system reset log_statement"
		if on {
			sql = "alter system set log_statement = 'all'"
		}
		if _, err := conn.Exec(ctx, sql); err != nil {
			return err
		}
		_, err := conn.Exec(ctx, "select pg_catalog.pg_reload_conf()")
		return err
	}
	if err := logging(true); err != nil {
		return nil, err
	}
	defer func() { _ = logging(false) }()
	start, err := logSize(logPath)
	if err != nil {
		return nil, err
	}
	// A backend applies the reload between two statements, so the first
	// requests after it may still go unlogged.
	for range 50 {
		time.Sleep(100 * time.Millisecond)
		if err := send(); err != nil {
			return nil, err
		}
		b, err := os.ReadFile(logPath)
		if err != nil {
			return nil, err
		}
		if tx := findTransaction(string(b[start:]), "bench_items"); tx != nil {
			return tx, nil
		}
	}
	return nil, errors.New("the server's statements never appeared in the postgres log")
}

func logSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

var (
	executeRe = regexp.MustCompile(`\[(\d+)\] LOG:  execute <unnamed>: (.*)$`)
	paramsRe  = regexp.MustCompile(`\[(\d+)\] DETAIL:  (?i:parameters): (.*)$`)
)

// findTransaction returns the first complete transaction (begin … commit)
// in the log whose statements mention marker.
func findTransaction(log, marker string) []statement {
	open := map[string][]statement{}
	for _, line := range strings.Split(log, "\n") {
		if m := executeRe.FindStringSubmatch(line); m != nil {
			pid, sql := m[1], m[2]
			if strings.HasPrefix(sql, "begin") {
				open[pid] = nil
			}
			open[pid] = append(open[pid], statement{sql: sql})
			if sql == "commit" || sql == "rollback" {
				tx := open[pid]
				delete(open, pid)
				for _, s := range tx {
					if strings.Contains(s.sql, marker) {
						return tx
					}
				}
			}
			continue
		}
		if m := paramsRe.FindStringSubmatch(line); m != nil {
			if tx := open[m[1]]; len(tx) > 0 {
				tx[len(tx)-1].params = parseParams(m[2])
			}
		}
	}
	return nil
}

// parseParams reads "$1 = 'a', $2 = NULL, $3 = 'it”s'".
func parseParams(s string) []*string {
	var out []*string
	for len(s) > 0 {
		_, rest, ok := strings.Cut(s, " = ")
		if !ok {
			break
		}
		if v, ok := strings.CutPrefix(rest, "NULL"); ok {
			out = append(out, nil)
			s = strings.TrimPrefix(v, ", ")
			continue
		}
		rest = strings.TrimPrefix(rest, "'")
		var b strings.Builder
		i := 0
		for i < len(rest) {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					b.WriteByte('\'')
					i += 2
					continue
				}
				break
			}
			b.WriteByte(rest[i])
			i++
		}
		v := b.String()
		out = append(out, &v)
		s = strings.TrimPrefix(rest[min(i+1, len(rest)):], ", ")
	}
	return out
}

var paramRefRe = regexp.MustCompile(`\$(\d+)`)

// pgbenchScript replays tx as one pipeline. Every parameter becomes a
// pgbench variable (sent as a bind parameter under -M extended), defined
// with -D; the one holding the JWT claims of capturedSub is rebuilt per
// transaction for a random user instead, as the server sees a different
// user on every request.
func pgbenchScript(tx []statement, capturedSub string) (script string, defines []string, err error) {
	var b strings.Builder
	b.WriteString("\\set u random(1, " + strconv.Itoa(users) + ")\n\\startpipeline\n")
	claimsFound := false
	for si, st := range tx {
		var convErr error
		sql := paramRefRe.ReplaceAllStringFunc(st.sql, func(ref string) string {
			n, _ := strconv.Atoi(ref[1:])
			if n < 1 || n > len(st.params) {
				convErr = fmt.Errorf("statement %d uses %s but logged %d parameters", si+1, ref, len(st.params))
				return ref
			}
			v := st.params[n-1]
			if v == nil {
				return "NULL"
			}
			if before, after, ok := strings.Cut(*v, capturedSub); ok && strings.HasPrefix(*v, "{") {
				claimsFound = true
				return "(" + database.QuoteLiteral(before) + " || md5('user' || :u)::uuid || " + database.QuoteLiteral(after) + ")"
			}
			name := "s" + strconv.Itoa(si+1) + "p" + strconv.Itoa(n)
			defines = append(defines, "-D", name+"="+*v)
			return ":" + name
		})
		if convErr != nil {
			return "", nil, convErr
		}
		b.WriteString(sql + ";\n")
	}
	b.WriteString("\\endpipeline\n")
	if !claimsFound {
		return "", nil, errors.New("no parameter carried the request's JWT claims")
	}
	return b.String(), defines, nil
}

// sendOne sends one request of the kind as user 1 and wants a 2xx.
func sendOne(base, anon, token, kind string) error {
	req, err := newRequest(base, kind)
	if err != nil {
		return err
	}
	req.Header.Set("apikey", anon)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("User-Agent", "") // wrk sends none, nor Accept-Encoding
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s request: status %d", kind, resp.StatusCode)
	}
	return nil
}

// newRequest is the request wrk sends for kind (see wrkScript).
func newRequest(base, kind string) (*http.Request, error) {
	if kind == "insert" {
		req, err := http.NewRequest("POST", base+insertPath, strings.NewReader(insertBody))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Prefer", "return=representation")
		return req, nil
	}
	return http.NewRequest("GET", base+listPath, nil)
}
