-- Hole 10: partners' rate limits were counted in each instance's memory, so two instances let a partner make twice its
-- limit. The count now lives here, shared by all instances: one row per partner, its current one-minute window.
CREATE TABLE "partner_request_counts" (
    "PartnerId" TEXT NOT NULL CONSTRAINT "PK_partner_request_counts" PRIMARY KEY,
    "WindowStart" INTEGER NOT NULL,
    "Count" INTEGER NOT NULL
);
