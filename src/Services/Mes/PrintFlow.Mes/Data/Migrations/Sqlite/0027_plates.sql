-- Issue 27: build plates (the jobs printed together as one G-code on one printer; a single job is a plate of one),
-- and on each order item the plate and printer that made it.
CREATE TABLE "mes_plates" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_mes_plates" PRIMARY KEY AUTOINCREMENT,
    "PlateId" TEXT NOT NULL,
    "PrinterId" TEXT NOT NULL,
    "PrinterName" TEXT NOT NULL,
    "Material" TEXT NOT NULL,
    "Colour" TEXT NULL,
    "SlicerProfile" TEXT NOT NULL,
    "JobCount" INTEGER NOT NULL,
    "PartCount" INTEGER NOT NULL,
    "Orders" TEXT NOT NULL,
    "PrintHours" REAL NOT NULL,
    "State" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "SettledAt" INTEGER NULL,
    "Reason" TEXT NULL
);
CREATE UNIQUE INDEX "IX_mes_plates_PlateId" ON "mes_plates" ("PlateId");
CREATE INDEX "IX_mes_plates_PrinterId_CreatedAt" ON "mes_plates" ("PrinterId", "CreatedAt");
ALTER TABLE "mes_job_items" ADD "PlateId" TEXT NULL;
ALTER TABLE "mes_job_items" ADD "PrinterName" TEXT NULL;
