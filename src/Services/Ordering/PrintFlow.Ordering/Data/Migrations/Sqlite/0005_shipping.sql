-- Issue 25: where the parcel goes (from the channel's submission) and the carrier's tracking (from MES's Shipped step).
ALTER TABLE "orders" ADD "ShipToJson" TEXT NULL;
ALTER TABLE "orders" ADD "ShipmentJson" TEXT NULL;
