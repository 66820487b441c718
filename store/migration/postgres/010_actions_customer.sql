-- A customer's repayments, from any of their chats: a payment of a plan
-- still waiting for its outcome keeps the plan from being quoted again.
CREATE INDEX actions_customer ON actions (customer_id, created_at);
