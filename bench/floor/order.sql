-- One order's database work at the least the design allows (bench/floor.sh). One script run is one order:
-- the Partner API's transaction, then one transaction per delivery of the 12 an order needs even with status
-- events routed by channel (Ordering 3, CRM 4, Partners 3, Pricing 1, MES 1), each with its inbox row, its read
-- and write of the order's row in that service and the outbox rows it publishes (8 in all), and one statement
-- that marks the order's outbox rows dispatched (the relay, at its most batched). No history, no transitions,
-- no read models, no live feed: everything the services also do is left out, so this is a floor.
\set o random(1, 1000000000000000000)
BEGIN;
INSERT INTO idempotency VALUES (1, :o, :o);
INSERT INTO orders (service, id, status, version) VALUES ('partners', :o, 0, 0);
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'orders.submitted', repeat('x', 600));
COMMIT;
-- Ordering takes the submission: PriceCalculating (status event) and the price request.
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('ordering/orders.submitted', :o);
INSERT INTO orders (service, id, status, version) VALUES ('ordering', :o, 2, 2);
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'orders.status-changed', repeat('x', 600));
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'pricing.price-requested', repeat('x', 600));
COMMIT;
-- CRM counts the submission.
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('crm/orders.submitted', :o);
INSERT INTO orders (service, id, status, version) VALUES ('crm', :o, 1, 1);
COMMIT;
-- Pricing quotes.
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('pricing/pricing.price-requested', :o);
INSERT INTO orders (service, id, status, version) VALUES ('pricing', :o, 1, 1);
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'pricing.price-calculated', repeat('x', 600));
COMMIT;
-- Ordering applies the quote and auto-confirms: Confirmed (status event) and the manufacturing request.
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('ordering/pricing.price-calculated', :o);
SELECT version AS v FROM orders WHERE service = 'ordering' AND id = :o \gset
UPDATE orders SET status = 4, version = version + 2, updated_at = now() WHERE service = 'ordering' AND id = :o AND version = :v;
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'orders.status-changed', repeat('x', 600));
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'manufacturing.requested', repeat('x', 600));
COMMIT;
-- MES creates the job.
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('mes/manufacturing.requested', :o);
INSERT INTO orders (service, id, status, version) VALUES ('mes', :o, 1, 1);
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'manufacturing.progressed', repeat('x', 600));
COMMIT;
-- Ordering: ManufacturingApproved (status event).
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('ordering/manufacturing.progressed', :o);
SELECT version AS v FROM orders WHERE service = 'ordering' AND id = :o \gset
UPDATE orders SET status = 5, version = version + 1, updated_at = now() WHERE service = 'ordering' AND id = :o AND version = :v;
INSERT INTO outbox (order_id, name, payload) VALUES (:o, 'orders.status-changed', repeat('x', 600));
COMMIT;
-- The three status events reach Partners and CRM.
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('partners/orders.status-changed', :o * 4 + 1);
SELECT version AS v FROM orders WHERE service = 'partners' AND id = :o \gset
UPDATE orders SET status = 2, version = 2, updated_at = now() WHERE service = 'partners' AND id = :o AND version = :v;
COMMIT;
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('crm/orders.status-changed', :o * 4 + 1);
SELECT version AS v FROM orders WHERE service = 'crm' AND id = :o \gset
UPDATE orders SET status = 2, version = 2, updated_at = now() WHERE service = 'crm' AND id = :o AND version = :v;
COMMIT;
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('partners/orders.status-changed', :o * 4 + 2);
SELECT version AS v FROM orders WHERE service = 'partners' AND id = :o \gset
UPDATE orders SET status = 4, version = 4, updated_at = now() WHERE service = 'partners' AND id = :o AND version = :v;
COMMIT;
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('crm/orders.status-changed', :o * 4 + 2);
SELECT version AS v FROM orders WHERE service = 'crm' AND id = :o \gset
UPDATE orders SET status = 4, version = 4, updated_at = now() WHERE service = 'crm' AND id = :o AND version = :v;
COMMIT;
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('partners/orders.status-changed', :o * 4 + 3);
SELECT version AS v FROM orders WHERE service = 'partners' AND id = :o \gset
UPDATE orders SET status = 5, version = 5, updated_at = now() WHERE service = 'partners' AND id = :o AND version = :v;
COMMIT;
BEGIN;
INSERT INTO inbox (consumer, message_id) VALUES ('crm/orders.status-changed', :o * 4 + 3);
SELECT version AS v FROM orders WHERE service = 'crm' AND id = :o \gset
UPDATE orders SET status = 5, version = 5, updated_at = now() WHERE service = 'crm' AND id = :o AND version = :v;
COMMIT;
-- The relays mark the order's 8 outbox rows dispatched in one statement.
UPDATE outbox SET dispatched_at = now() WHERE order_id = :o AND dispatched_at IS NULL;
