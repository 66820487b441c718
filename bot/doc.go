// Package bot is the Telegram adapter, and the only package that imports the
// Telegram library. It long-polls for updates (its own loop: the offset is
// confirmed only after a batch is handled), turns them into channel-neutral
// events for the engine, and renders the engine's replies as messages with
// inline or reply keyboards, retrying what Telegram asks to retry.
//
// It knows nothing of flows, customers or money.
package bot
