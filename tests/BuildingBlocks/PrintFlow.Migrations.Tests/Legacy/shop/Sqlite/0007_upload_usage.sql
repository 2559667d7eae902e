-- Upload quotas (decision 15): what each customer or partner uploaded per clock hour; the rolling 24-hour quota sums these rows.
CREATE TABLE "upload_usage" (
    "Owner" TEXT NOT NULL,
    "Hour" INTEGER NOT NULL,
    "Bytes" INTEGER NOT NULL,
    "Models" INTEGER NOT NULL,
    CONSTRAINT "PK_upload_usage" PRIMARY KEY ("Owner", "Hour")
);
