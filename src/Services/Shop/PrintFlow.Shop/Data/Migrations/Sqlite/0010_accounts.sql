-- Issue 26: email verification and one-time account links (hashes only); accounts made before count as verified.
ALTER TABLE "customers" ADD "EmailVerifiedAt" INTEGER NULL;
ALTER TABLE "customers" ADD "Language" TEXT NOT NULL DEFAULT 'ru';
UPDATE "customers" SET "EmailVerifiedAt" = "CreatedAt";
CREATE TABLE "account_tokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_account_tokens" PRIMARY KEY,
    "CustomerId" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "UsedAt" INTEGER NULL
);
CREATE INDEX "IX_account_tokens_CustomerId_Purpose" ON "account_tokens" ("CustomerId", "Purpose");
CREATE INDEX "IX_account_tokens_ExpiresAt" ON "account_tokens" ("ExpiresAt");
CREATE UNIQUE INDEX "IX_account_tokens_TokenHash" ON "account_tokens" ("TokenHash");
