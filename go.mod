module supportbot

go 1.26.0

require (
	github.com/go-telegram-bot-api/telegram-bot-api/v5 v5.5.1
	github.com/joho/godotenv v1.5.1
	github.com/looplab/fsm v1.0.3
	github.com/mattn/go-sqlite3 v1.14.52
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/time v0.16.0
