package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/console"
	"supportbot/corehttp"
	"supportbot/demo"
	"supportbot/embedcore"
	"supportbot/faq"
	"supportbot/flows"
	"supportbot/importer"
	"supportbot/locale"
	"supportbot/metrics"
	"supportbot/store"
)

// Main is the running program: configuration, then everything it wires.
type Main struct {
	Config Config
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock (tests move it); time.Now when nil.
	Now func() time.Time
	// Limits are the sending limits toward Telegram (bot.DefaultLimits when
	// zero); tests and the load test raise them.
	Limits bot.Limits

	DB     *store.DB
	Engine *flows.Engine
	Logger *slog.Logger
	// ChatRefs name chats in logs and keys: keyed with the deployment's
	// secret, kept in its database.
	ChatRefs supportbot.ChatRefs
	// Core is what the bot talks to for money; Embedded is set when it is
	// the embedded core (no CORE_URL).
	Core     flows.Core
	Embedded *embedcore.Core
	// Bot is the Telegram adapter, once running.
	Bot *bot.Server

	Metrics *metrics.Metrics

	mu   sync.Mutex
	addr string // where the HTTP server listens, once it does

	unlock func() error // releases the SQLite database's lock (holdSQLite)
}

// Open opens the database, connects the core and builds the engine.
func (m *Main) Open(ctx context.Context) error {
	if m.Now == nil {
		m.Now = time.Now
	}
	cfg := m.Config
	if cfg.Token == "" && cfg.LogLevel < slog.LevelWarn {
		// The console shares the terminal with the chat: only problems.
		cfg.LogLevel = slog.LevelWarn
	}
	m.Logger = newLogger(cfg, m.Stderr)
	db, err := openDB(ctx, m.Config)
	if err != nil {
		return err
	}
	db.Now = m.Now
	m.DB = db
	if db.Dialect() == "sqlite" {
		if m.unlock, err = holdSQLite(m.Config.DatabasePath); err != nil {
			return err
		}
		// One process uses a SQLite database (the lock above): a money
		// action still claimed was claimed by a process that died. It
		// resumes now, not when the claim runs out (a minute).
		if n, err := db.ReleaseActions(ctx); err != nil {
			return err
		} else if n > 0 {
			m.Logger.Warn("money actions left claimed by a stopped process resume", "actions", n)
		}
	}
	if m.ChatRefs, err = chatRefs(ctx, db); err != nil {
		return err
	}
	catalog, err := locale.Load()
	if err != nil {
		return err
	}
	index, err := faq.Load()
	if err != nil {
		return err
	}
	kb := faq.Knowledge{Index: index}
	m.Metrics = metrics.New(metrics.Gauges{Outbox: db.OutboxDepth, Inbox: db.InboxDepth, Tickets: db.OpenTickets,
		Waiting: db.WaitingTickets, Actions: db.OpenActions})
	if cfg.CoreURL != "" {
		client, err := corehttp.New(corehttp.Config{BaseURL: cfg.CoreURL, Token: cfg.CoreToken,
			Logger: m.Logger.With("component", "core"), Metrics: m.Metrics})
		if err != nil {
			return err
		}
		m.Core = client
	} else {
		m.Embedded = embedcore.New(db, cfg.Location, m.Now)
		m.Core = m.Embedded
	}
	instance := instanceName()
	var turns flows.ChatTurns
	var jobs flows.Jobs
	if db.Dialect() == "postgres" {
		// Several instances share the database: a chat's turn and a job are
		// leases in it.
		leases := db.Leases(instance, 30*time.Second)
		turns, jobs = leases, leases
	}
	ecfg := flows.Config{
		Store:       stateStore{db},
		Core:        m.Core,
		Metrics:     m.Metrics,
		Catalog:     catalog,
		Classifier:  kb,
		Answers:     kb,
		Location:    m.Config.Location,
		Now:         m.Now,
		Logger:      m.Logger.With("component", "flows"),
		Turns:       turns,
		Jobs:        jobs,
		Instance:    instance,
		Hotline:     m.Config.Hotline,
		Hours:       m.Config.Hours,
		AgentChatID: m.Config.AgentChatID,
		AgentIDs:    m.Config.AgentUserIDs,
		FAQ:         kb,
		Misses:      db,
		// Due-date reminders: REMINDER_DAYS, REMINDER_HOUR.
		ReminderDays: m.Config.ReminderDays,
		ReminderHour: m.Config.ReminderHour,
		Wake:         func() { m.wakeSender() },
		ChatRefs:     m.ChatRefs,
	}
	if m.Embedded != nil {
		ecfg.CoreEvents = embeddedEvents{db}
	}
	m.Engine = flows.New(ecfg)
	return nil
}

// openDB opens the database the configuration names: PostgreSQL with
// DATABASE_URL, else SQLite at DATABASE_PATH; an error names which (a
// directory, a file that is not a database).
func openDB(ctx context.Context, cfg Config) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{Path: cfg.DatabasePath, URL: cfg.DatabaseURL})
	switch {
	case err == nil:
		return db, nil
	case cfg.DatabaseURL != "":
		return nil, fmt.Errorf("database (DATABASE_URL): %w", err)
	}
	return nil, fmt.Errorf("database %s (DATABASE_PATH): %w", cfg.DatabasePath, err)
}

// openExisting opens the database for a command that reads or changes what
// is in it (cmd names it in the error): a SQLite file that does not exist is
// an error naming it — opening it would create an empty database, and a
// mistyped DATABASE_PATH would look like an empty audit log.
func openExisting(ctx context.Context, cfg Config, cmd string) (*store.DB, error) {
	if cfg.DatabaseURL != "" {
		return openDB(ctx, cfg)
	}
	if st, err := os.Stat(cfg.DatabasePath); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: the database %s does not exist (DATABASE_PATH)", cmd, cfg.DatabasePath)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	} else if st.Size() == 0 {
		// A file touched, or a copy cut short: opened, it would become an
		// empty database the command reads as one with nothing in it.
		return nil, fmt.Errorf("%s: %s is an empty file, not a supportbot database (DATABASE_PATH)", cmd, cfg.DatabasePath)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return db, nil
}

// chatRefs are the deployment's chat references: keyed with the secret in
// its database, made at its first start. Every instance and every restart
// name a chat alike; another deployment names it otherwise.
func chatRefs(ctx context.Context, db *store.DB) (supportbot.ChatRefs, error) {
	fresh := make([]byte, supportbot.ChatRefKeySize)
	rand.Read(fresh)
	key, err := db.Secret(ctx, "chat_ref", fresh)
	if err != nil {
		return supportbot.ChatRefs{}, err
	}
	refs, err := supportbot.NewChatRefs(key)
	if err != nil {
		return supportbot.ChatRefs{}, fmt.Errorf("the database's chat_ref secret: %w", err)
	}
	return refs, nil
}

// instanceName names this process in leases: host and pid.
func instanceName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// wakeSender tells the Telegram sender, once it runs, that messages wait.
func (m *Main) wakeSender() {
	m.mu.Lock()
	b := m.Bot
	m.mu.Unlock()
	if b != nil {
		b.Wake()
	}
}

// stateStore is the database as the engine sees its own state.
type stateStore struct{ *store.DB }

func (s stateStore) Update(ctx context.Context, fn func(flows.Tx) error) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error { return fn(tx) })
}

// embeddedEvents are the events the embedded core owes the bot.
type embeddedEvents struct{ db *store.DB }

func (e embeddedEvents) PendingCoreEvents(ctx context.Context, limit int) ([]supportbot.CoreEvent, error) {
	return e.db.PendingCoreEvents(ctx, limit)
}

func (e embeddedEvents) CoreEventDelivered(ctx context.Context, id string) error {
	return e.db.Update(ctx, func(tx *store.Tx) error { return tx.CoreEventDelivered(ctx, id) })
}

var (
	_ flows.Store = stateStore{}
	_ bot.Tracker = (*store.DB)(nil)
	_ flows.Tx    = (*store.Tx)(nil)
	_ flows.Core  = (*embedcore.Core)(nil)

	_ bot.Outbox       = (*store.DB)(nil)
	_ bot.SharedOutbox = (*store.DB)(nil)
)

// Close releases what Open acquired.
func (m *Main) Close() error {
	var err error
	if m.DB != nil {
		err = m.DB.Close()
	}
	if m.unlock != nil {
		err = errors.Join(err, m.unlock())
		m.unlock = nil
	}
	return err
}

// Run runs the bot: on Telegram with a token, otherwise in the console.
func (m *Main) Run(ctx context.Context) error {
	if f, ok := m.Stdin.(*os.File); ok && m.Config.Token == "" && isDevNull(f) {
		// A service started without its token (systemd gives it
		// /dev/null): not a console chat that loads the demo customers
		// into the service's database and ends at once, to be restarted
		// for ever (an operator probe).
		return errors.New("TELEGRAM_BOT_TOKEN is not set, and the console chat has no input (stdin is " + os.DevNull + "): set the token to run on Telegram")
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	if m.Config.Token == "" {
		return m.runConsole(ctx)
	}
	return m.runTelegram(ctx)
}

func (m *Main) runConsole(ctx context.Context) error {
	if m.Embedded != nil {
		if err := m.loadDemo(ctx); err != nil {
			return err
		}
	}
	chat := &console.Chat{Handler: m.Engine, Outbox: m.DB, In: m.Stdin, Out: m.Stdout, UserID: 1,
		OnError: func(err error) { m.Logger.Error("step failed", "err", err) }}
	start := ""
	if f, ok := m.Stdin.(*os.File); ok && isTerminal(f) {
		chat.Prompt = "> "
		start = "/start"
		fmt.Fprintln(m.Stdout, "Console chat on the demo data. Type a message, a number to press a button, /contact PHONE to share a phone number (e.g. /contact 13800138000), Ctrl-D to quit.")
	}
	return chat.Run(ctx, start)
}

// loadDemo imports the demo data into an empty database.
func (m *Main) loadDemo(ctx context.Context) error {
	n, err := m.DB.CountCustomers(ctx)
	if err != nil || n > 0 {
		return err
	}
	data, err := importer.Parse(demo.DataAt(m.Now(), m.Config.Location))
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	_, err = m.DB.Import(ctx, data)
	return err
}

// isDevNull reports whether f is the null device.
func isDevNull(f *os.File) bool {
	st, err := f.Stat()
	if err != nil {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(st, null)
}

func isTerminal(f *os.File) bool {
	if isDevNull(f) {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// logRepeatsEvery is how often one warning or error is logged again while
// it keeps happening (quietHandler).
const logRepeatsEvery = 10 * time.Second

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(newQuietHandler(h, logRepeatsEvery))
}

// botCommands is the command menu Telegram shows, per language.
func botCommands() map[string][]bot.Command {
	return map[string][]bot.Command{
		"": {
			{Command: "start", Description: "开始 / 主菜单"},
			{Command: "bill", Description: "查看账单"},
			{Command: "pay", Description: "还本期或逾期账单"},
			{Command: "repay", Description: "提前还款"},
			{Command: "cancel_schedule", Description: "取消预约还款"},
			{Command: "close_account", Description: "注销分期账户"},
			{Command: "messages", Description: "消息中心"},
			{Command: "closure_status", Description: "注销申请进度"},
			{Command: "autopay", Description: "自动还款"},
			{Command: "cards", Description: "我的银行卡"},
			{Command: "remind", Description: "还款提醒 开/关"},
			{Command: "agent", Description: "转人工客服"},
			{Command: "lang", Description: "切换语言 / Language"},
			{Command: "help", Description: "帮助"},
			{Command: "cancel", Description: "退出当前操作"},
		},
		"en": {
			{Command: "start", Description: "Start / main menu"},
			{Command: "bill", Description: "My bills"},
			{Command: "pay", Description: "Pay the current or overdue bill"},
			{Command: "repay", Description: "Repay early"},
			{Command: "cancel_schedule", Description: "Cancel a scheduled repayment"},
			{Command: "close_account", Description: "Close my installment account"},
			{Command: "messages", Description: "Message center"},
			{Command: "closure_status", Description: "Closure request status"},
			{Command: "autopay", Description: "Auto-repayment"},
			{Command: "cards", Description: "My bank cards"},
			{Command: "remind", Description: "Due-date reminders on/off"},
			{Command: "agent", Description: "Talk to a human"},
			{Command: "lang", Description: "Language / 切换语言"},
			{Command: "help", Description: "Help"},
			{Command: "cancel", Description: "Stop what I'm doing"},
		},
	}
}
