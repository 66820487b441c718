package store_test

import (
	"bytes"
	"context"
	"testing"

	"supportbot"
	"supportbot/store"
	"supportbot/store/storetest"
)

// TestSecretIsKeptFromTheFirstStart: the first value offered under a name is
// kept; what a later start or another instance offers is not, it reads the
// first back.
func TestSecretIsKeptFromTheFirstStart(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	first, second := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	if got, err := db.Secret(ctx, "chat_ref", first); err != nil || !bytes.Equal(got, first) {
		t.Fatalf("first start: secret %x, %v; want the value offered, %x", got, err, first)
	}
	if got, err := db.Secret(ctx, "chat_ref", second); err != nil || !bytes.Equal(got, first) {
		t.Errorf("offered again: secret %x, %v; want the one kept, %x", got, err, first)
	}
	db.Close()

	again := reopen(t, cfg, c)
	if got, err := again.Secret(ctx, "chat_ref", second); err != nil || !bytes.Equal(got, first) {
		t.Errorf("after a restart: secret %x, %v; want the one kept, %x", got, err, first)
	}
	if got, err := again.Secret(ctx, "other", second); err != nil || !bytes.Equal(got, second) {
		t.Errorf("another name: secret %x, %v; want its own, %x", got, err, second)
	}
	if n := rawDB(t, cfg).int(t, `SELECT COUNT(*) FROM secrets`); n != 2 {
		t.Errorf("%d secrets kept, want 2", n)
	}
	_, err := again.Secret(ctx, "empty", nil)
	wantCode(t, "an empty secret", err, supportbot.EINVALID)
}

// TestSecretFromInstancesStartingAtOnce: instances that start together on a
// fresh database, each offering a secret of its own, all end up with the
// same one.
func TestSecretFromInstancesStartingAtOnce(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	const n = 4
	dbs := make([]*store.DB, n)
	for i := range dbs {
		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	got := make([][]byte, n)
	noErrors(t, "instance", parallel(n, func(i int) (err error) {
		got[i], err = dbs[i].Secret(ctx, "chat_ref", bytes.Repeat([]byte{byte(i + 1)}, 32))
		return err
	}))
	for i := range got {
		if !bytes.Equal(got[i], got[0]) {
			t.Errorf("instance %d has secret %x, instance 0 %x: they would name chats differently", i, got[i], got[0])
		}
	}
	if len(got[0]) != 32 || got[0][0] < 1 || got[0][0] > n || !bytes.Equal(got[0], bytes.Repeat(got[0][:1], 32)) {
		t.Errorf("secret %x is none of those offered", got[0])
	}
}
