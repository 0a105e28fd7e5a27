package main

import (
	"strings"
	"testing"
)

func TestParseParams(t *testing.T) {
	t.Parallel()
	got := parseParams(`$1 = 'search_path', $2 = '"public", "extensions"', $3 = NULL, $4 = 'it''s, $5 = ''x''', $5 = '20'`)
	want := []string{"search_path", `"public", "extensions"`, "<nil>", "it's, $5 = 'x'", "20"}
	if len(got) != len(want) {
		t.Fatalf("%d params, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := "<nil>"
		if got[i] != nil {
			g = *got[i]
		}
		if g != w {
			t.Errorf("param %d = %q, want %q", i+1, g, w)
		}
	}
}

const sampleLog = `2026-11-22 06:45:01.100 UTC [77] LOG:  execute <unnamed>: begin isolation level read committed read only
2026-11-22 06:45:01.100 UTC [88] LOG:  execute <unnamed>: select 1
2026-11-22 06:45:01.101 UTC [77] LOG:  execute <unnamed>: select set_config($1, $2, true), set_config($3, $4, true)
2026-11-22 06:45:01.101 UTC [77] DETAIL:  Parameters: $1 = 'role', $2 = 'authenticated', $3 = 'request.jwt.claims', $4 = '{"role":"authenticated","sub":"11111111-2222-3333-4444-555555555555"}'
2026-11-22 06:45:01.102 UTC [77] LOG:  execute <unnamed>: SELECT * FROM "public"."bench_items" LIMIT $1
2026-11-22 06:45:01.102 UTC [77] DETAIL:  Parameters: $1 = '20'
2026-11-22 06:45:01.103 UTC [77] LOG:  execute <unnamed>: commit
`

func TestReplayOfALoggedTransaction(t *testing.T) {
	t.Parallel()
	tx := findTransaction(sampleLog, "bench_items")
	if len(tx) != 4 {
		t.Fatalf("found %d statements, want 4: %+v", len(tx), tx)
	}
	script, defines, err := pgbenchScript(tx, "11111111-2222-3333-4444-555555555555")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\\startpipeline\nbegin isolation level read committed read only;\n",
		`select set_config(:s2p1, :s2p2, true), set_config(:s2p3, ('{"role":"authenticated","sub":"' || md5('user' || :u)::uuid || '"}'), true);`,
		`SELECT * FROM "public"."bench_items" LIMIT :s3p1;`,
		"commit;\n\\endpipeline\n",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
	if got := strings.Join(defines, " "); got != "-D s2p1=role -D s2p2=authenticated -D s2p3=request.jwt.claims -D s3p1=20" {
		t.Errorf("defines = %q", got)
	}
	if findTransaction(sampleLog, "no_such_table") != nil {
		t.Error("a transaction without the marker was returned")
	}
}

func TestReplayNeedsTheClaims(t *testing.T) {
	t.Parallel()
	tx := findTransaction(sampleLog, "bench_items")
	if _, _, err := pgbenchScript(tx, "99999999-0000-0000-0000-000000000000"); err == nil {
		t.Fatal("a transaction without the user's claims made a script")
	}
}
