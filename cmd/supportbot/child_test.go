package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

// childEnv marks a test binary started by a test to be the bot itself: the
// crash test (fault_test.go) runs the real program in a child process so it
// can kill it with SIGKILL.
const childEnv = "SUPPORTBOT_TEST_CHILD"

// TestMain runs the tests, or, in a child started by a test (SUPPORTBOT_TEST_CHILD=1),
// the program exactly as main does, configured by the environment only (no .env).
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

func runChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := Run(ctx, nil, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, err)
		return 2
	default:
		fmt.Fprintln(os.Stderr, "supportbot:", err)
		return 1
	}
}
