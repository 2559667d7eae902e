-- Issue 4: an order's status history moves into a JSON column beside its items, so a status event updates one row
-- (it added a history row and updated the order) and reading an order reads one row (it read one per step).
-- Existing history is copied over, oldest version first; an order without any gets an empty list.
ALTER TABLE partner_orders ADD history jsonb;
UPDATE partner_orders AS o
SET history = h.entries
FROM (
    SELECT "OrderId",
           jsonb_agg(jsonb_build_object('Version', "Version", 'Status', "Status", 'At', "At", 'Reason', "Reason")
                     ORDER BY "Version") AS entries
    FROM partner_order_history
    GROUP BY "OrderId"
) AS h
WHERE h."OrderId" = o."Id";
UPDATE partner_orders SET history = '[]'::jsonb WHERE history IS NULL;
DROP TABLE partner_order_history;
