-- Who closed a ticket: an agent's /close leaves the replies the desk took
-- while it was open to be relayed before the closing notice; the customer's
-- own /end, or the chat losing its customer, does not.
ALTER TABLE tickets ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
