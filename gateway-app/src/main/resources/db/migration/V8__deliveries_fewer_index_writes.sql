-- Fewer index writes per delivery row (each row is inserted, claimed, then marked delivered):
-- the claim token is looked up by id and by sink instead, so it needs no index and a claim's mark
-- changes no index at all; the time index no longer holds the status, so marking a row delivered
-- leaves it alone. Retention and the deliveries list read created_at from it as before.
DROP INDEX idx_deliveries_claim ON deliveries;
DROP INDEX idx_deliveries_time ON deliveries;
CREATE INDEX idx_deliveries_created ON deliveries (created_at);
