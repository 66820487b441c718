package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// createSchema makes a schema of the run's own in the database base names
// (so that runs and test suites on the same cluster never meet) and returns
// the URL that selects it; drop removes it, unless keep.
func createSchema(ctx context.Context, base string, keep bool, log io.Writer) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("-postgres-url: want postgres://user@host:port/database, got a %q URL", schemeOf(base))
	}
	b := make([]byte, 5)
	rand.Read(b)
	schema := "loadtest_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() {
		if keep {
			fmt.Fprintf(log, "keeping PostgreSQL schema %s\n", schema)
			return
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			fmt.Fprintf(log, "drop schema %s: %v\n", schema, err)
		}
	}
	return u.String(), drop, nil
}

// schemeOf is a URL's scheme, for an error that must not show the rest (it
// may hold a password).
func schemeOf(raw string) string {
	for i := 0; i+2 < len(raw); i++ {
		if raw[i:i+3] == "://" {
			return raw[:i]
		}
	}
	return "non"
}
