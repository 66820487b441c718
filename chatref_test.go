package supportbot_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"supportbot"
)

func chatRefs(t *testing.T, fill byte) supportbot.ChatRefs {
	t.Helper()
	r, err := supportbot.NewChatRefs(bytes.Repeat([]byte{fill}, supportbot.ChatRefKeySize))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// unkeyed is how earlier versions named a chat: a hash anyone can compute
// for every Telegram user id, so a log told whose chat it was.
func unkeyed(chatID int64) string {
	sum := sha256.Sum256([]byte("chat:" + strconv.FormatInt(chatID, 10)))
	return hex.EncodeToString(sum[:6])
}

func TestChatRefsAreKeyed(t *testing.T) {
	const chat = 7301234567
	a, b := chatRefs(t, 1), chatRefs(t, 2)
	ra, rb := a.Of(chat), b.Of(chat)
	if ra == rb {
		t.Errorf("two secrets name chat %d alike (%s): references of two deployments could be matched", chat, ra)
	}
	for _, ref := range []string{ra, rb} {
		if ref == unkeyed(chat) {
			t.Errorf("reference %s is the unkeyed hash of the chat id: anyone can undo it", ref)
		}
		if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(ref) {
			t.Errorf("reference %q, want 12 lower-case hex digits (6 bytes), as logs had them", ref)
		}
	}
	if again := chatRefs(t, 1).Of(chat); again != ra {
		t.Errorf("the same secret named chat %d %s, then %s: a restart would change its reference", chat, ra, again)
	}
	if other := a.Of(chat + 1); other == ra {
		t.Errorf("chats %d and %d have the same reference %s", chat, chat+1, ra)
	}
}

func TestChatRefsKeepTheirKey(t *testing.T) {
	key := bytes.Repeat([]byte{7}, supportbot.ChatRefKeySize)
	r, err := supportbot.NewChatRefs(key)
	if err != nil {
		t.Fatal(err)
	}
	before := r.Of(42)
	key[0] = 8 // the caller's slice, reused
	if after := r.Of(42); after != before {
		t.Errorf("reference changed from %s to %s when the caller changed its key slice", before, after)
	}
}

func TestNewChatRefsWantsAFullKey(t *testing.T) {
	for _, n := range []int{0, 16, supportbot.ChatRefKeySize - 1, supportbot.ChatRefKeySize + 1} {
		if _, err := supportbot.NewChatRefs(make([]byte, n)); supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Errorf("key of %d bytes: err = %v, want %s", n, err, supportbot.EINVALID)
		}
	}
	if !(supportbot.ChatRefs{}).IsZero() || chatRefs(t, 1).IsZero() {
		t.Error("IsZero: the zero value has no key, a made one has")
	}
}

func TestChatRefsPrintNoKey(t *testing.T) {
	r := chatRefs(t, 0xab)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		// The key's bytes in hex (ab) or in decimal (171).
		if got := fmt.Sprintf(format, r); strings.Contains(got, "ab") || strings.Contains(got, "171") {
			t.Errorf("Sprintf(%q) = %q: shows the key", format, got)
		}
	}
}
