-- No query reads bills by due date any more (reminders go from their
-- subscribers to their plans): the index only cost every bill paid and
-- every bill imported an entry written at a random place.
DROP INDEX IF EXISTS bills_due;
