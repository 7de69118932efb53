package notify_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them: every
// worker, connection and timer must be stopped by its owner's Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
