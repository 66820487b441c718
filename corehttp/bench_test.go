package corehttp_test

import (
	"fmt"
	"testing"

	"supportbot"
	"supportbot/corehttp/coretest"
)

// BenchmarkPlans is one bill lookup's read through the client and the fake
// core on 127.0.0.1, decoding and checks included.
func BenchmarkPlans(b *testing.B) {
	e := newEnv(b)
	for b.Loop() {
		if _, err := e.client.Plans(b.Context(), "C1001"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepayRetried is a repayment answered 500 after it was executed,
// then replayed: two round trips and the fake's idempotency store.
func BenchmarkRepayRetried(b *testing.B) {
	e := newEnv(b)
	q := e.quote(b, "q")
	for i := 0; b.Loop(); i++ {
		e.core.Inject("createRepayment", 1, coretest.ExecutedButFailed())
		// The quote's periods are paid by the first; later ones are refused
		// as stale, which is still a full round trip of the same shape.
		e.client.Repay(b.Context(), fmt.Sprintf("pay-%d", i), supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
	}
}
