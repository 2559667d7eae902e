-- Issue 25: the order's carrier and tracking number, shown in the customer's order list.
ALTER TABLE "orders" ADD "Carrier" TEXT NULL;
ALTER TABLE "orders" ADD "TrackingNumber" TEXT NULL;
ALTER TABLE "orders" ADD "TrackingUrl" TEXT NULL;
