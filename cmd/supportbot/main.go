// Command supportbot runs the installment support bot: on Telegram when
// TELEGRAM_BOT_TOKEN is set, otherwise as a console chat on the demo data.
// Subcommands: import, audit, ask, faq misses, closure, tickets, notice, backup.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // SUPPORT_TIMEZONE works on machines without a zoneinfo database

	"github.com/joho/godotenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := Run(ctx, os.Args[1:], environ(), os.Stdin, os.Stdout, os.Stderr)
	var usage usageError
	switch {
	case err == nil:
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "supportbot:", err)
		os.Exit(1)
	}
}

// environ is the process environment over the values of ./.env, if present:
// a variable set in the environment wins.
func environ() func(string) string {
	dotenv, _ := godotenv.Read(".env")
	return func(key string) string {
		if v, ok := os.LookupEnv(key); ok {
			return v
		}
		return dotenv[key]
	}
}

type usageError string

func (e usageError) Error() string { return string(e) }

const usage = `usage:
  supportbot                         run the bot (console chat on the demo data without TELEGRAM_BOT_TOKEN)
  supportbot import FILE.json        upsert customers, cards, plans, bills and scheduled repayments
  supportbot audit [--customer ID] [--json]
                                     print the audit log
  supportbot ask "text"              classify one question: {"kind":…,"id":…,"score":…}
  supportbot tickets [--open]        hand-off tickets with wait time, agent and rating
  supportbot backup FILE             write a consistent copy of the database (safe while the bot runs)
  supportbot faq misses [--limit N]  the most frequent questions the bot could not answer (masked)
  supportbot closure set REF completed|rejected [REASON]
                                     decide a closure request (a rejection needs a reason)
  supportbot notice set --until TIME "text zh" "text en" [--broadcast]
                                     show a service notice until TIME (RFC 3339 or "YYYY-MM-DD HH:MM" local)
                                     at /start, in bills and quotes; --broadcast also sends it once to every linked chat
  supportbot notice clear            end the service notice`

// Run is the whole program with its inputs made explicit, so tests can run it.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		m := &Main{Config: cfg, Stdin: stdin, Stdout: stdout, Stderr: stderr}
		defer m.Close()
		return m.Run(ctx)
	}
	switch args[0] {
	case "import":
		if len(args) != 2 {
			return usageError(usage)
		}
		return runImport(ctx, cfg, args[1], stdout)
	case "audit":
		fs := flag.NewFlagSet("audit", flag.ContinueOnError)
		fs.SetOutput(stderr)
		customer := fs.String("customer", "", "only this customer's entries")
		asJSON := fs.Bool("json", false, "one JSON object per line")
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
			return usageError(usage)
		}
		return runAudit(ctx, cfg, *customer, *asJSON, stdout)
	case "ask":
		// ask "text" prints one JSON line (checkers parse it); ask --explain
		// "text" prints how the classifier read it.
		switch {
		case len(args) == 2:
			return runAsk(args[1], false, stdout)
		case len(args) == 3 && (args[1] == "--explain" || args[1] == "-explain"):
			return runAsk(args[2], true, stdout)
		}
		return usageError(usage)
	case "closure":
		return runClosure(ctx, cfg, args[1:], stdout)
	case "notice":
		return runNotice(ctx, cfg, args[1:], stdout)
	case "faq":
		fs := flag.NewFlagSet("faq misses", flag.ContinueOnError)
		fs.SetOutput(stderr)
		limit := fs.Int("limit", 20, "how many")
		if len(args) < 2 || args[1] != "misses" || fs.Parse(args[2:]) != nil || fs.NArg() != 0 {
			return usageError(usage)
		}
		return runMisses(ctx, cfg, *limit, stdout)
	case "tickets":
		fs := flag.NewFlagSet("tickets", flag.ContinueOnError)
		fs.SetOutput(stderr)
		open := fs.Bool("open", false, "only open tickets")
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
			return usageError(usage)
		}
		return runTickets(ctx, cfg, *open, stdout)
	case "backup":
		if len(args) != 2 {
			return usageError(usage)
		}
		return runBackup(ctx, cfg, args[1], stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usageError(usage)
}
