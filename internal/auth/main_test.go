package auth_test

import (
	"os"
	"testing"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
