// Package migrations holds creatorbase's SQL migrations, embedded in the
// binary. Files are named NNNN_<schema>_<what>.sql and applied in order by
// goose (internal/database), as the database owner, under an advisory lock.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
