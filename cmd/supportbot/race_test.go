//go:build race

package main

// The tests run with -race: the bot the multi-instance test builds too.
func init() { raceEnabled = true }
