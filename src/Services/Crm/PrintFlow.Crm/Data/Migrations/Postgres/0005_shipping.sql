-- Issue 25: the order's carrier and tracking number, shown in the customer's order list.
ALTER TABLE orders ADD "Carrier" character varying(32);
ALTER TABLE orders ADD "TrackingNumber" character varying(40);
ALTER TABLE orders ADD "TrackingUrl" character varying(500);
