package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"supportbot"
	"supportbot/store"
)

// runClosure runs `supportbot closure set REF STATUS [REASON]`: a support
// agent completes or rejects a closure request. The store records it with an
// audit entry and a message-center entry and flags it for notification; the
// delivery to the customer's chats is the outbox's job, not this command's.
func runClosure(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	if len(args) < 3 || args[0] != "set" {
		return usageError(usage)
	}
	ref, status, reason := args[1], strings.ToLower(args[2]), strings.Join(args[3:], " ")
	db, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return err
	}
	defer db.Close()
	r, chats, err := db.SetClosureStatus(ctx, ref, status, reason)
	if code := supportbot.ErrorCode(err); code != "" && code != supportbot.EINTERNAL {
		return fmt.Errorf("closure %s: %s", ref, supportbot.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s", r.Reference, r.Status)
	if r.Reason != "" {
		fmt.Fprintf(out, " (%s)", r.Reason)
	}
	fmt.Fprintf(out, "\ncustomer %s: message-center entry added", r.CustomerID)
	if len(chats) == 0 {
		fmt.Fprintln(out, "; no linked chat to notify")
		return nil
	}
	ids := make([]string, len(chats))
	for i, id := range chats {
		ids[i] = fmt.Sprint(id)
	}
	fmt.Fprintf(out, "; to notify (pending delivery): chat %s\n", strings.Join(ids, ", "))
	return nil
}
