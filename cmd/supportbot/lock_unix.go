//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// holdSQLite takes the lock that makes a SQLite database one process's:
// a second bot on the same file would send every reply again and take back
// the money actions the first has claimed (a probe: 34 of 40 chats got
// their menu twice). The lock is a file beside the database, held with
// flock until release or the process's end — a crash frees it.
func holdSQLite(path string) (release func() error, err error) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("database %s (DATABASE_PATH): lock: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("database %s (DATABASE_PATH) is in use by another supportbot process: "+
				"a SQLite database serves one process (several instances need PostgreSQL, DATABASE_URL)", path)
		}
		return nil, fmt.Errorf("database %s (DATABASE_PATH): lock: %w", path, err)
	}
	return f.Close, nil
}
