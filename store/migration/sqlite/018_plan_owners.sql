-- Whose a plan is, for the plans the bot has seen: the core's
-- scheduled_repayment.* events carry a Scheduled, which names its plan but
-- not its customer (CORE_API.md), and are routed through this.
CREATE TABLE plan_owners (
	plan_id     TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL
);
