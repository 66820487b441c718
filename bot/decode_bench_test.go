package bot

import (
	"encoding/json"
	"testing"
)

// Updates as Telegram (and telegramtest) send them to a private chat.
var benchUpdates = []struct {
	name string
	raw  string
}{
	{"text", `{"update_id":100000001,"message":{"message_id":7,"from":{"id":7000000001,"is_bot":false,"first_name":"客户1","language_code":"zh"},"date":1795240800,"chat":{"id":7000000001,"type":"private","first_name":"客户1"},"text":"提前还款要手续费吗"}}`},
	{"command", `{"update_id":100000002,"message":{"message_id":8,"from":{"id":7000000001,"is_bot":false,"first_name":"客户1","language_code":"zh"},"date":1795240800,"chat":{"id":7000000001,"type":"private","first_name":"客户1"},"text":"/bill","entities":[{"type":"bot_command","offset":0,"length":5}]}}`},
	{"contact", `{"update_id":100000003,"message":{"message_id":9,"from":{"id":7000000001,"is_bot":false,"first_name":"客户1","language_code":"zh"},"date":1795240800,"chat":{"id":7000000001,"type":"private","first_name":"客户1"},"contact":{"phone_number":"8613900000001","first_name":"客户1","user_id":7000000001}}}`},
	{"callback", `{"update_id":100000004,"callback_query":{"id":"4000000000000000017","from":{"id":7000000001,"is_bot":false,"first_name":"客户1","language_code":"zh"},"message":{"message_id":12,"from":{"id":123456,"is_bot":true,"first_name":"Test Bot","username":"test_bot"},"date":1795240800,"chat":{"id":7000000001,"type":"private","first_name":"客户1"},"text":"📄 提前结清报价：Redmi K70（订单号 5241000000001）\n未还本金：¥4,567.50\n合计应付：¥4,636.01","reply_markup":{"inline_keyboard":[[{"text":"✅ 确认还款 ¥4,636.01","callback_data":"s:abcdef:repay:ok:QSH6ZM7S"}],[{"text":"取消","callback_data":"x"},{"text":"转人工","callback_data":"m:agent"}]]}},"chat_instance":"-7000007000000001","data":"s:abcdef:repay:ok:QSH6ZM7S"}}`},
}

// BenchmarkDecodeUpdate is the adapter's cost per update before the engine:
// decoding the raw update into an event.
func BenchmarkDecodeUpdate(b *testing.B) {
	for _, u := range benchUpdates {
		raw := json.RawMessage(u.raw)
		b.Run(u.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				in, err := decodeUpdate(raw)
				if err != nil || !in.ok {
					b.Fatalf("decode: ok=%v err=%v", in.ok, err)
				}
			}
		})
	}
}
