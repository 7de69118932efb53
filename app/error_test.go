package app

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorHelpers(t *testing.T) {
	invalid := Invalid("name", ReasonParameterMissing, "name is required")
	tests := []struct {
		name                         string
		err                          error
		code, reason, message, param string
		isError                      bool
	}{
		{"nil", nil, "", "", "", "", false},
		{"plain", errors.New("disk on fire"), EInternal, "", "", "", false},
		{"app error", invalid, EInvalid, ReasonParameterMissing, "name is required", "name", true},
		{"wrapped", fmt.Errorf("create site: %w", invalid), EInvalid, ReasonParameterMissing, "name is required", "name", true},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", NotFound("site", "x"))), ENotFound, ReasonResourceMissing, `no site with id "x"`, "", true},
		{"joined", errors.Join(errors.New("other"), Errorf(EConflict, "taken")), EConflict, "", "taken", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorCode(tc.err); got != tc.code {
				t.Errorf("ErrorCode: got %q, want %q", got, tc.code)
			}
			if got := ErrorReason(tc.err); got != tc.reason {
				t.Errorf("ErrorReason: got %q, want %q", got, tc.reason)
			}
			if got := ErrorMessage(tc.err); got != tc.message {
				t.Errorf("ErrorMessage: got %q, want %q", got, tc.message)
			}
			if got := ErrorParam(tc.err); got != tc.param {
				t.Errorf("ErrorParam: got %q, want %q", got, tc.param)
			}
			if got := IsError(tc.err); got != tc.isError {
				t.Errorf("IsError: got %v, want %v", got, tc.isError)
			}
		})
	}
}
