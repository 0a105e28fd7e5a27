package rest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
)

func TestPoolTimeoutIsPGRST003(t *testing.T) {
	t.Parallel()
	ae := toAPIError(fmt.Errorf("acquire connection: %w", database.ErrPoolTimeout), "anon")
	if ae.Status != http.StatusGatewayTimeout || ae.Code != "PGRST003" {
		t.Fatalf("got %d %s, want 504 PGRST003", ae.Status, ae.Code)
	}
	if ae.Message != "Timed out acquiring connection from connection pool." {
		t.Fatalf("message %q", ae.Message)
	}
}
