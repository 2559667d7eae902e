-- Failed sign-ins and registrations counted per email and per client address (hashed), shared by Shop's instances.
CREATE TABLE "sign_in_failures" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_sign_in_failures" PRIMARY KEY,
    "Failures" INTEGER NOT NULL,
    "WindowEndsAt" INTEGER NOT NULL
);
CREATE INDEX "IX_sign_in_failures_WindowEndsAt" ON "sign_in_failures" ("WindowEndsAt");
