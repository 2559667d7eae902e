-- Upload quotas (decision 15): what each customer or partner uploaded per clock hour; the rolling 24-hour quota sums these rows.
CREATE TABLE upload_usage (
    "Owner" character varying(64) NOT NULL,
    "Hour" bigint NOT NULL,
    "Bytes" bigint NOT NULL,
    "Models" integer NOT NULL,
    CONSTRAINT "PK_upload_usage" PRIMARY KEY ("Owner", "Hour")
);
