// Package storetest opens a fresh, empty database for a test, on the backend
// the test run asks for: SQLite in a temp file by default, PostgreSQL when
// SUPPORTBOT_TEST_DATABASE=postgres (each test gets a schema of its own in
// the database at SUPPORTBOT_TEST_POSTGRES_URL, dropped when it ends). CI
// runs the suites once per backend: one suite, every backend.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"supportbot/store"
)

// Backend is the backend the test run uses: "sqlite" or "postgres".
func Backend() string {
	if os.Getenv("SUPPORTBOT_TEST_DATABASE") == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// Config is a fresh database's configuration: a new SQLite file, or a new
// PostgreSQL schema (the URL selects it). Opening it twice is a restart.
func Config(tb testing.TB) store.Config {
	tb.Helper()
	if Backend() == "sqlite" {
		return store.Config{Path: filepath.Join(tb.TempDir(), "bot.db")}
	}
	base := os.Getenv("SUPPORTBOT_TEST_POSTGRES_URL")
	if base == "" {
		tb.Fatal("SUPPORTBOT_TEST_DATABASE=postgres needs SUPPORTBOT_TEST_POSTGRES_URL (.ci/run sets both)")
	}
	return schema(tb, base)
}

// PostgresConfig is a fresh PostgreSQL schema whatever the run's backend,
// for tests that need PostgreSQL itself (several instances of the bot on
// one database); they are skipped when SUPPORTBOT_TEST_POSTGRES_URL is not
// set (CI's PostgreSQL pass sets it).
func PostgresConfig(tb testing.TB) store.Config {
	tb.Helper()
	base := os.Getenv("SUPPORTBOT_TEST_POSTGRES_URL")
	if base == "" {
		tb.Skip("needs PostgreSQL: set SUPPORTBOT_TEST_POSTGRES_URL (.ci/run does in its PostgreSQL pass)")
	}
	return schema(tb, base)
}

// schema makes a schema of its own for the test in the database at base,
// dropped when the test ends, and returns the URL that selects it.
func schema(tb testing.TB, base string) store.Config {
	tb.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Config{URL: u.String()}
}

// Open opens a fresh database, closed when the test ends.
func Open(tb testing.TB) (*store.DB, store.Config) {
	tb.Helper()
	cfg := Config(tb)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("open %s database: %v", Backend(), err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, cfg
}

// HoldWriteLock takes SQLite's write lock on the database at path from a
// connection of its own, as another process would; release lets it go.
func HoldWriteLock(tb testing.TB, path string) (release func()) {
	tb.Helper()
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=100")
	if err != nil {
		tb.Fatal(err)
	}
	conn, err := other.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		tb.Fatal(err)
	}
	return func() {
		tb.Helper()
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			tb.Fatal(err)
		}
		conn.Close()
		other.Close()
	}
}
