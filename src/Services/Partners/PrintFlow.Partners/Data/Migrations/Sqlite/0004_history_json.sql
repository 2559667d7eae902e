-- Issue 4: an order's status history moves into a JSON column beside its items, so a status event updates one row
-- (it added a history row and updated the order) and reading an order reads one row (it read one per step).
-- Existing history is copied over, oldest version first; an order without any gets an empty list.
ALTER TABLE "partner_orders" ADD "history" TEXT NULL;
UPDATE "partner_orders"
SET "history" = (
    SELECT json_group_array(json_object('Version', h."Version", 'Status', h."Status", 'At', h."At", 'Reason', h."Reason"))
    FROM (SELECT * FROM "partner_order_history" WHERE "OrderId" = "partner_orders"."Id" ORDER BY "Version") AS h
);
DROP INDEX "IX_partner_order_history_OrderId";
DROP TABLE "partner_order_history";
