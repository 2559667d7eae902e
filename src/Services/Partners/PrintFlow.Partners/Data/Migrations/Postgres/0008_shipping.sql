-- Issue 25: an order's shipping address and tracking, and a partner's default address (JSON columns, like the quote).
ALTER TABLE partner_orders ADD ship_to jsonb;
ALTER TABLE partner_orders ADD shipment jsonb;
ALTER TABLE partners ADD default_ship_to jsonb;
