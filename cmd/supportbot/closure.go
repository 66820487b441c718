package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"supportbot"
	"supportbot/embedcore"
)

// runClosure runs `supportbot closure set REF STATUS [REASON]`: a decision
// on a closure request of the embedded core (completed, or rejected with a
// reason). The embedded core records it and owes the bot an event; the
// running bot tells the customer's chats and keeps it in the message
// center. With CORE_URL set the core system decides, and tells the bot.
func runClosure(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	switch {
	case len(args) == 0 || args[0] != "set":
		return argsError("closure", "the subcommand set", args)
	case len(args) < 3 || strings.TrimSpace(args[1]) == "":
		return argsError("closure", "REF and completed|rejected", args[1:])
	}
	if cfg.CoreURL != "" {
		return errors.New("closure set: closure requests are decided in the core system at CORE_URL, which tells the bot")
	}
	ref, status, reason := args[1], strings.ToLower(args[2]), strings.TrimSpace(strings.Join(args[3:], " "))
	// Checked before the database is opened. Words after completed are a
	// mistake ("closure set CR-A completed CR-B completed" would complete
	// CR-A and tell its customer "CR-B completed"), not a remark to send.
	switch err := supportbot.CheckClosureDecision(status, reason); {
	case errors.Is(err, supportbot.ErrClosureStatus):
		return usageError(fmt.Sprintf("closure set: %s, not %q\n%s", err, args[2], commandUsage["closure"]))
	case errors.Is(err, supportbot.ErrClosureCompletedReason):
		return usageError(fmt.Sprintf("closure set: %s, not %q\n%s", err, reason, commandUsage["closure"]))
	case err != nil:
		return usageError(fmt.Sprintf("closure set: %s\n%s", err, commandUsage["closure"]))
	}
	if err := checkCustomerText(reason); err != nil {
		return usageError("closure set: the reason " + err.Error() + "\n" + commandUsage["closure"])
	}
	db, err := openExisting(ctx, cfg, "closure set")
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := embedcore.New(db, cfg.Location, nil).DecideClosure(ctx, ref, status, reason)
	if code := supportbot.ErrorCode(err); code != "" && code != supportbot.EINTERNAL {
		return fmt.Errorf("closure %s: %s", ref, supportbot.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s", r.Reference, r.Status)
	if r.Reason != "" {
		fmt.Fprintf(out, " (%s)", r.Reason)
	}
	fmt.Fprintf(out, "\ncustomer %s: the running bot tells their chats and keeps it in their message center\n", r.CustomerID)
	return nil
}
