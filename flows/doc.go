// Package flows is the conversation engine: it takes one channel-neutral event
// for one chat, routes it to a flow (identify, bills, early repayment, …), runs
// that flow's state machine (looplab/fsm) one step, and returns the replies.
//
// The step's state, slots and every effect it has are written in one database
// transaction, so a restart resumes where the chat was and a redelivered update
// changes nothing. It knows nothing of Telegram: bot/ and the console drive it.
package flows
