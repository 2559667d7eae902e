-- Failed sign-ins and registrations counted per email and per client address (hashed), shared by Shop's instances.
CREATE TABLE sign_in_failures (
    "Key" character varying(64) NOT NULL,
    "Failures" integer NOT NULL,
    "WindowEndsAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_sign_in_failures" PRIMARY KEY ("Key")
);
CREATE INDEX "IX_sign_in_failures_WindowEndsAt" ON sign_in_failures ("WindowEndsAt");
