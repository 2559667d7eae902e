-- Issue 25: an order's shipping address and tracking, and a partner's default address (JSON columns, like the quote).
ALTER TABLE "partner_orders" ADD "ship_to" TEXT NULL;
ALTER TABLE "partner_orders" ADD "shipment" TEXT NULL;
ALTER TABLE "partners" ADD "default_ship_to" TEXT NULL;
